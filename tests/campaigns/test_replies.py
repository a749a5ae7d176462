"""'Did your member reply?': one question per supporter and campaign two weeks after we sent
their letters, answered on a page a link opens (recorded only by its button), asked once more
after "not yet", never after anonymising; the pasted reply kept only with consent."""

import re
import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.letters.supporters import letters_anonymise, retention, supporter_data
from campaigns.models import Letter, Parliament
from campaigns.models.parliaments import ensure_parliaments
from campaigns.replies.links import letter_id_for, reply_path
from campaigns.replies.services import ReplyClosed, questions_send, reply_record
from tests.support.admin import admin_url, make_letter, staff_with
from tests.support.campaign_factories import make_area, make_campaign, make_member
from tests.support.html import content, select, select_one, text
from tests.support.queries import (
    REPLY_JOB_IDLE_QUERIES,
    REPLY_JOB_QUERIES_PER_EMAIL,
    REPLY_PAGE_QUERIES,
    REPLY_POST_QUERIES,
)

pytestmark = pytest.mark.django_db
State = Letter.State
Reply = Letter.Reply
DAY = timedelta(days=1)
SITE = "https://letters.example"
REPLY_WORDS = "Thank you for writing. The minister has raised these returns with Beijing."
LINK = re.compile(re.escape(SITE) + r"(/letters/reply/[^/\s]+/)\?answer=(\w+)")


@pytest.fixture(autouse=True)
def reply_settings(settings):
    settings.SITE_URL = SITE
    settings.REPLIES_ASK_AFTER_DAYS = 14
    settings.REPLIES_ASK_AGAIN_DAYS = 7
    settings.LETTERS_RETENTION_DAYS = 28


@pytest.fixture
def campaign():
    return make_campaign(title="Stop the forced returns")


@pytest.fixture
def members():
    area = make_area(name="Cardiff East", code="W09000049", seats=2)
    return [
        make_member(area, name="Rachel Blake", email="rachel.blake@example.org"),
        make_member(area, name="Tom Other", email="tom.other@example.org"),
    ]


def sent_letter(campaign, member, *, days_ago=15, email="jane@example.org", **fields):
    """A letter we sent for the supporter ``days_ago``."""
    values = {
        "delivery": Letter.Delivery.SEND_FOR_ME,
        "state": State.SENT,
        "supporter_name": "Jane Doe",
        "supporter_email": email,
        "email_key": email.lower(),
        "recipient_email": member.email,
        "confirmed_at": timezone.now() - (days_ago + 1) * DAY,
        "sent_at": timezone.now() - days_ago * DAY,
    }
    return make_letter(campaign, member, **{**values, **fields})


def questions():
    return [m for m in mail.outbox if "reply" in m.subject or "replied" in m.subject]


def answer_links(message):
    """{(path, answer)} of every answer link in the message."""
    return LINK.findall(message.body)


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def answer(client, letter, choice, **data):
    return client.post(reply_path(letter.pk), {"answer": choice, **data})


# Asking


def test_one_question_per_supporter_and_campaign_listing_each_member(campaign, members):
    first = sent_letter(campaign, members[0], days_ago=15)
    second = sent_letter(campaign, members[1], days_ago=14.5, email="Jane@Example.org")

    assert "Sent 1 email asking whether members replied; 0 emails again." in run(
        "send_reply_questions"
    )

    (message,) = questions()
    assert message.to == ["jane@example.org"]
    assert message.subject == "Did your representatives reply?"
    assert "we sent your letters about “Stop the forced returns” to Rachel Blake MP and Tom " in (
        message.body
    )
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    links = answer_links(message)
    assert len(links) == 6  # yes, no and not yet for each member
    assert {answer for _, answer in links} == {"yes", "no", "not_yet"}
    assert {letter_id_for(path.split("/")[-2]) for path, _ in links} == {first.pk, second.pk}
    assert Letter.objects.filter(reply_asked_at__isnull=False).count() == 2


def test_the_question_goes_to_the_supporter_never_to_the_member(campaign, members):
    sent_letter(campaign, members[0])
    questions_send()
    (message,) = questions()
    assert message.recipients() == ["jane@example.org"]
    assert message.subject == "Did Rachel Blake MP reply?"
    assert "rachel.blake@example.org" not in message.body


def test_asking_again_sends_nothing_more(campaign, members):
    sent_letter(campaign, members[0])
    questions_send()
    assert questions_send().asked == []
    assert "Sent 0 emails" in run("send_reply_questions")
    assert len(questions()) == 1


def test_a_later_letter_gets_its_own_question_when_it_is_due(campaign, members):
    sent_letter(campaign, members[0], days_ago=30 - 14)
    questions_send()
    later = sent_letter(campaign, members[1], days_ago=1)
    assert questions_send().asked == []
    with time_machine.travel(timezone.now() + 14 * DAY):
        assert questions_send().asked == [later.reference]
    assert len(questions()) == 2


def test_supporters_get_an_email_each(campaign, members):
    sent_letter(campaign, members[0], email="jane@example.org")
    sent_letter(campaign, members[0], email="sam@example.org")
    other_campaign = make_campaign(title="Free the pastors")
    sent_letter(other_campaign, members[0], email="jane@example.org")
    questions_send()
    assert sorted(m.to[0] for m in questions()) == [
        "jane@example.org",
        "jane@example.org",
        "sam@example.org",
    ]


def test_nothing_asked_too_early_of_their_own_letters_or_after_anonymising(campaign, members):
    sent_letter(campaign, members[0], days_ago=13)  # not yet two weeks
    make_letter(  # written in their own email app: the address was never confirmed
        campaign, members[1], delivery=Letter.Delivery.EMAIL_APP, supporter_email="own@example.org"
    )
    Letter.objects.filter(delivery=Letter.Delivery.EMAIL_APP).update(
        created_at=timezone.now() - 20 * DAY
    )
    sent_letter(campaign, members[1], email="failed@example.org", state=State.FAILED)
    erased = sent_letter(campaign, members[1], email="erased@example.org")
    run("erase_supporter_data", "erased@example.org")
    assert Letter.objects.get(pk=erased.pk).state == State.ANONYMISED

    assert questions_send().asked == []
    assert questions() == []


def test_no_question_with_too_little_time_left_to_answer(campaign, members):
    sent_letter(campaign, members[0], days_ago=27)  # anonymised tomorrow
    assert questions_send().asked == []


def test_a_question_the_mail_server_refuses_is_asked_by_the_next_run(
    campaign, members, monkeypatch
):
    letter = sent_letter(campaign, members[0])

    def refuse(self, fail_silently=False):
        raise OSError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        assert "Could not send 1 email: the next run tries again." in run(
            "send_reply_questions", verbosity=0
        )
    letter.refresh_from_db()
    assert letter.reply_asked_at is None
    assert questions_send().asked == [letter.reference]


def test_dry_run_sends_nothing_and_names_the_letters(campaign, members):
    letter = sent_letter(campaign, members[0])
    output = run("send_reply_questions", "--dry-run", verbosity=2)
    assert f"Would ask: {letter.reference}" in output
    assert "would send 1 email asking whether members replied (after 14 days)" in output
    assert questions() == [] and not Letter.objects.filter(reply_asked_at__isnull=False).exists()


# Answering


def test_the_link_asks_with_the_emailed_answer_chosen_and_records_nothing(
    client, campaign, members
):
    letter = sent_letter(campaign, members[0])
    questions_send()
    path, choice = next(link for link in answer_links(questions()[0]) if link[1] == "yes")

    response = client.get(f"{path}?answer={choice}")
    head = client.head(f"{path}?answer={choice}")

    html = content(response)
    assert response.status_code == 200 and head.status_code == 200
    assert select_one(html, "h1").get_text() == "Did Rachel Blake MP reply?"
    assert select_one(html, "input[name=answer][checked]")["value"] == "yes"
    assert select_one(html, "input[name=keep_text]").get("checked") is None  # unticked
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    letter.refresh_from_db()
    assert letter.reply == "" and letter.reply_answered_at is None


def test_the_button_records_the_answer(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    response = answer(client, letter, Reply.YES)
    assert response.status_code == 302
    page = content(client.get(response["Location"]))
    assert "Thank you: your answer is saved" in text(page)
    assert "You told us: Yes, they replied." in text(page)
    letter.refresh_from_db()
    assert letter.reply == Reply.YES and letter.reply_answered_at is not None
    assert letter.reply_text == ""


def test_the_page_links_to_the_other_members_the_email_asked_about(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    other = sent_letter(campaign, members[1])
    sent_letter(campaign, members[1], email="sam@example.org")  # someone else's
    questions_send()
    answer(client, other, Reply.NO)

    html = content(client.get(reply_path(letter.pk)))

    (link,) = select(html, ".other-letters a")
    assert link.get_text() == "Did Tom Other MP reply?"
    assert letter_id_for(link["href"].split("/")[-2]) == other.pk
    assert "(you told us: No reply)" in text(html)


def test_answering_twice_changes_the_answer_not_the_count(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    answer(client, letter, Reply.YES)
    answer(client, letter, Reply.YES)
    assert Letter.objects.filter(reply=Reply.YES).count() == 1
    answer(client, letter, Reply.NO)
    assert Letter.objects.filter(reply=Reply.YES).count() == 0
    assert Letter.objects.filter(reply=Reply.NO).count() == 1


def test_not_yet_is_asked_once_more_a_week_later_and_never_again(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    questions_send()
    answer(client, letter, Reply.NOT_YET)
    assert questions_send().asked_again == []  # not a week yet
    with time_machine.travel(timezone.now() + 7 * DAY + timedelta(minutes=1)):
        assert questions_send().asked_again == [letter.reference]
        again = questions()[-1]
        assert again.subject == "Has Rachel Blake MP replied yet?"
        assert "This is the last time we ask" in again.body
        path, _ = answer_links(again)[0]
        client.post(path, {"answer": Reply.NOT_YET})
    with time_machine.travel(timezone.now() + 15 * DAY):
        assert questions_send().asked_again == []
    assert len(questions()) == 2


def test_yes_or_no_is_not_asked_again(client, campaign, members):
    said_yes = sent_letter(campaign, members[0])
    said_no = sent_letter(campaign, members[1], email="sam@example.org")
    questions_send()
    answer(client, said_yes, Reply.YES)
    answer(client, said_no, Reply.NO)
    with time_machine.travel(timezone.now() + 8 * DAY):
        assert questions_send().asked_again == []


def test_a_forged_altered_or_expired_link_finds_nothing(client, campaign, members):
    letter = sent_letter(campaign, members[0], days_ago=14)
    path = reply_path(letter.pk)
    other = sent_letter(campaign, members[1], email="sam@example.org")
    token = path.split("/")[-2]
    forged = path.replace(token, reply_path(other.pk).split("/")[-2][:-2] + "xx")
    assert client.get(forged).status_code == 404
    assert client.get("/letters/reply/not-a-token/").status_code == 404
    assert client.get(f"/letters/reply/{'x' * 300}/").status_code == 404
    with time_machine.travel(timezone.now() + retention() + DAY):
        assert client.get(path).status_code == 404
        assert client.post(path, {"answer": Reply.YES}).status_code == 404
    letter.refresh_from_db()
    assert letter.reply == ""


def test_an_anonymised_letter_takes_no_answer(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    path = reply_path(letter.pk)
    run("erase_supporter_data", "jane@example.org")
    response = client.post(path, {"answer": Reply.YES})
    assert response.status_code == 410
    assert "This question has closed" in text(content(response))
    assert client.get(path).status_code == 410
    with pytest.raises(ReplyClosed):  # anonymised between reading the page and its POST
        reply_record(letter.pk, answer=Reply.YES)
    assert Letter.objects.get(pk=letter.pk).reply == ""


def test_a_missing_answer_is_linked_from_the_error_summary(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    html = content(client.post(reply_path(letter.pk), {"reply_text": ""}))
    (error,) = select(html, ".error-summary a")
    assert error["href"] == "#id_answer_0" and error.get_text() == "Choose whether they replied."
    assert select_one(html, "#id_answer_0") is not None
    fieldset = select_one(html, "fieldset[aria-describedby]")
    assert (
        select_one(html, f"#{fieldset['aria-describedby']}")
        .get_text()
        .endswith("Choose whether they replied.")
    )


# The reply's text


def test_the_reply_is_kept_only_when_the_box_is_ticked(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    response = answer(client, letter, Reply.YES, reply_text=REPLY_WORDS)

    html = content(response)
    assert response.status_code == 200
    (error,) = select(html, ".error-summary a")
    assert error["href"] == "#id_keep_text"
    assert "Tick the box to let us keep the reply" in error.get_text()
    assert select_one(html, "textarea[name=reply_text]").get_text().strip() == REPLY_WORDS
    assert select_one(html, "input[name=answer][checked]")["value"] == "yes"
    assert select_one(html, "#id_keep_text")["aria-invalid"] == "true"
    letter.refresh_from_db()
    assert letter.reply == "" and letter.reply_text == ""

    answer(client, letter, Reply.YES, reply_text=REPLY_WORDS, keep_text="on")
    letter.refresh_from_db()
    assert letter.reply == Reply.YES and letter.reply_text == REPLY_WORDS
    assert letter.reply_text_consented_at is not None


def test_a_reply_pasted_with_no_or_not_yet_is_refused_with_the_text_kept(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    html = content(answer(client, letter, Reply.NO, reply_text=REPLY_WORDS, keep_text="on"))
    (error,) = select(html, ".error-summary a")
    assert error["href"] == "#id_reply_text"
    assert select_one(html, "textarea[name=reply_text]").get_text().strip() == REPLY_WORDS
    assert Letter.objects.get(pk=letter.pk).reply == ""


def test_changing_the_answer_to_no_drops_the_kept_reply(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    answer(client, letter, Reply.YES, reply_text=REPLY_WORDS, keep_text="on")
    answer(client, letter, Reply.NO)
    letter.refresh_from_db()
    assert letter.reply_text == "" and letter.reply_text_consented_at is None


def test_anonymising_removes_the_reply_and_keeps_the_answer_as_a_count(client, campaign, members):
    letter = sent_letter(campaign, members[0], days_ago=20)
    answer(client, letter, Reply.YES, reply_text=REPLY_WORDS, keep_text="on")
    with time_machine.travel(timezone.now() + 9 * DAY):
        assert letters_anonymise() == 1
    letter.refresh_from_db()
    assert letter.state == State.ANONYMISED
    assert letter.reply_text == "" and letter.reply_text_consented_at is None
    assert letter.reply == Reply.YES
    assert Letter.objects.filter(campaign=campaign, reply=Reply.YES).count() == 1


def test_the_export_holds_the_answer_and_the_reply_and_erase_removes_it(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    answer(client, letter, Reply.YES, reply_text=REPLY_WORDS, keep_text="on")
    (exported,) = supporter_data("jane@example.org")["letters"]
    assert exported["reply"] == "yes" and exported["reply_text"] == REPLY_WORDS
    run("erase_supporter_data", "jane@example.org")
    letter.refresh_from_db()
    assert letter.reply_text == "" and letter.reply == Reply.YES


def test_staff_read_the_answer_and_reply_in_the_letter_admin_and_cannot_change_it(
    client, campaign, members, django_user_model
):
    letter = sent_letter(campaign, members[0])
    answer(client, letter, Reply.YES, reply_text=REPLY_WORDS, keep_text="on")
    staff = staff_with(django_user_model, "view_letter")

    page = content(staff.get(admin_url("letter_change", letter.pk)))
    listing = content(staff.get(admin_url("letter_changelist"), {"reply__exact": "yes"}))

    assert REPLY_WORDS in text(page) and "Yes, they replied" in text(page)
    assert select(page, "textarea[name=reply_text]") == []  # read only
    assert letter.reference in text(listing)


def test_the_reply_is_on_no_public_page(client, campaign, members):
    letter = sent_letter(campaign, members[0])
    answer(client, letter, Reply.YES, reply_text=REPLY_WORDS, keep_text="on")
    for url in [campaign.get_absolute_url(), "/campaigns/", "/", "/search/?q=minister"]:
        assert REPLY_WORDS not in content(client.get(url))


# Costs


def test_the_answer_page_costs_a_fixed_number_of_queries(
    client, campaign, members, django_assert_num_queries
):
    letter = sent_letter(campaign, members[0])
    path = reply_path(letter.pk)
    with django_assert_num_queries(REPLY_PAGE_QUERIES):
        assert client.get(f"{path}?answer=yes").status_code == 200
    with django_assert_num_queries(REPLY_POST_QUERIES):
        assert client.post(path, {"answer": "yes"}).status_code == 302


# Two runs at once


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL")
def test_two_runs_at_once_ask_each_supporter_once():
    ensure_parliaments(Parliament)  # a transactional test empties the tables the migration filled
    campaign = make_campaign(title="Stop the forced returns")
    area = make_area(name="Cardiff East", code="W09000049", seats=2)
    members = [make_member(area, email=f"m{n}@example.org") for n in range(2)]
    for n in range(5):
        for member in members:
            sent_letter(campaign, member, email=f"supporter{n}@example.org")
    go = threading.Barrier(4)
    runs = []

    def ask():
        try:
            go.wait()
            runs.append(questions_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(len(done.asked) for done in runs) == 5
    assert sorted(m.to[0] for m in questions()) == [f"supporter{n}@example.org" for n in range(5)]
    assert all(len(answer_links(m)) == 6 for m in questions())


def test_the_job_costs_the_same_queries_for_each_email_it_sends(campaign, members):
    for n in range(3):
        for member in members:
            sent_letter(campaign, member, email=f"supporter{n}@example.org")
    with CaptureQueriesContext(connection) as one_run:
        assert len(questions_send().asked) == 3
    with CaptureQueriesContext(connection) as nothing_due:
        questions_send()
    per_email = (len(one_run) - len(nothing_due)) / 3
    assert len(nothing_due) == REPLY_JOB_IDLE_QUERIES
    assert per_email == REPLY_JOB_QUERIES_PER_EMAIL


def test_the_privacy_page_says_when_we_ask_and_what_we_keep(client, settings):
    settings.REPLIES_ASK_AFTER_DAYS = 10
    settings.REPLIES_ASK_AGAIN_DAYS = 5
    page = text(content(client.get("/privacy/")))
    assert "we email you once, 10 days later, to ask whether the member replied" in page
    assert "we ask once more, 5 days later, and never after that" in page
    assert "Yes, keep this reply with my letter." in page
