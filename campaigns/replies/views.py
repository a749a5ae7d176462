"""The page a reply question's link opens: GET asks, POST (the button) records."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from campaigns.models import Letter
from campaigns.replies.forms import ReplyForm
from campaigns.replies.links import letter_id_for, reply_path
from campaigns.replies.services import ReplyClosed, asked_with, open_for_answer, reply_record

TEMPLATE = "campaigns/letter_reply.html"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request, token):
    """GET (or HEAD) shows the question with the emailed answer chosen and changes nothing,
    so a mail scanner that opens the links answers nothing; the button POSTs the answer."""
    letter_id = letter_id_for(token)
    letter = _letter(letter_id) if letter_id else None
    if letter is None:
        raise Http404("This link is not one of ours, or it has expired.")
    if not open_for_answer(letter):
        return _closed(request, letter)
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reply_record(
                    letter.pk,
                    answer=data["answer"],
                    text=data["reply_text"],
                    keep_text=data["keep_text"],
                )
            except ReplyClosed:  # anonymised since the page was read
                return _closed(request, letter)
            return redirect(f"{request.path}?saved=1")
    else:
        form = ReplyForm(initial=_initial(letter, request.GET.get("answer", "")))
    others = [(other, reply_path(other.pk)) for other in asked_with(letter)]
    context = {"letter": letter, "form": form, "saved": "saved" in request.GET, "others": others}
    return render(request, TEMPLATE, context)


def _closed(request, letter: Letter):
    """Gone for good: the letter no longer takes an answer (anonymised, or erased)."""
    return render(request, TEMPLATE, {"letter": letter, "closed": True}, status=410)


def _letter(letter_id: int) -> Letter | None:
    letters = Letter.objects.select_related("campaign", "parliament")
    return letters.filter(pk=letter_id).first()


def _initial(letter: Letter, emailed: str) -> dict:
    """The answer chosen in the email (else the one given before), and any reply kept."""
    answers = Letter.Reply.values
    return {
        "answer": emailed if emailed in answers else letter.reply,
        "reply_text": letter.reply_text,
        "keep_text": bool(letter.reply_text),
    }
