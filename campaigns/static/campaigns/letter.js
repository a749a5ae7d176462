// The live note of how much of the letter is the supporter's own words. The page works
// without it: the server gives the same note when the form comes back. Counting matches
// campaigns/letter_text.py: words beyond those the campaign's letter already uses.
(function () {
  "use strict";
  var note = document.getElementById("personal-note");
  var letter = document.querySelector(".letter-body");
  if (!note || !letter) { return; }
  var messages = JSON.parse(note.getAttribute("data-messages"));
  var answers = Array.prototype.slice.call(document.querySelectorAll("textarea[data-personal]"));
  var body = letter.querySelector("textarea");
  var timer = null;

  function words(text) {
    return text.toLocaleLowerCase().match(/[\p{L}\p{N}_]+/gu) || [];
  }

  function tally(list) {
    var counts = new Map();
    list.forEach(function (word) { counts.set(word, (counts.get(word) || 0) + 1); });
    return counts;
  }

  function share(text, baseline) {
    var written = words(text);
    if (!written.length) { return 0; }
    var given = tally(words(baseline));
    var own = 0;
    tally(written).forEach(function (count, word) {
      own += Math.max(0, count - (given.get(word) || 0));
    });
    return own / written.length;
  }

  function describe(percent) {
    var text = messages[0][1];
    messages.forEach(function (entry) { if (percent >= entry[0]) { text = entry[1]; } });
    return text.replace("{percent}", String(percent));
  }

  function update() {
    var own = answers.map(function (a) { return a.value.trim(); }).filter(Boolean).join("\n\n");
    var text = body.value.split("{personal_paragraph}").join(own);
    var percent = Math.round(100 * share(text, letter.getAttribute("data-baseline")));
    note.textContent = describe(percent);
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  }

  answers.concat([body]).forEach(function (field) { field.addEventListener("input", later); });
  // Words typed before this script ran (a quick typist on a slow phone, or a form the
  // browser filled in again) had no listener yet: count them now.
  if (answers.some(function (answer) { return answer.value.trim(); })) { update(); }
})();
