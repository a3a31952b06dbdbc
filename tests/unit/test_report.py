"""The HTML report read as a reader reads it: what fails, each scenario file under its own name, what each step
expected, counts in words; and the one-time tokens of real sites' links masked before anything is written."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from journeytest import load_scenario
from journeytest.record.masking import TOKEN_MASK, mail_link_tokens, mask_link_tokens, mask_output
from journeytest.report.history import EarlierRun, regressions
from journeytest.report.html import render_report
from journeytest.report.results import ResultsWriter, read_results
from tests.support import reportdata
from tests.support.reportdata import HEX_TOKEN, REDMINE, REDMINE_FILE, REDMINE_NOTIFY, TRAC_FILE, effort, journey, step


class Outline(HTMLParser):
    """The report's elements by class, with their text: enough to read it like a page."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.found: list[tuple[str, dict[str, str | None], list[str]]] = []  # (tag, attributes, text parts)
        self.open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "meta", "rect", "input"):
            return
        self.found.append((tag, dict(attrs), []))
        self.open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            index = self.open.pop()
            if self.found[index][0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for index in self.open:
            self.found[index][2].append(data)

    def all(self, tag: str, cls: str | None = None) -> list[tuple[dict[str, str | None], str]]:
        return [
            (attrs, "".join(text))
            for name, attrs, text in self.found
            if name == tag and (cls is None or cls in (attrs.get("class") or "").split())
        ]


@pytest.fixture
def report(tmp_path) -> Outline:
    results = read_results(reportdata.write_corpus_results(tmp_path / "results.jsonl"))
    outline = Outline()
    outline.feed(render_report(results))
    return outline


def test_every_fail_is_listed_apart_from_the_warnings(report):
    records = reportdata.corpus_records()
    fails = {(c["scenario"], c["check"]) for c in records if c["type"] == "check" and c["verdict"] == "FAIL"}
    warns = {(c["scenario"], c["check"]) for c in records if c["type"] == "check" and c["verdict"] == "WARN"}
    unjudged = {(c["scenario"], c["check"]) for c in records if c["type"] == "check" and c["verdict"] == "INCONCLUSIVE"}
    assert len(fails) >= 5 and len({c for _, c in fails}) >= 5 and len({f for f, _ in fails}) == 3
    listed_fails = {(a["data-file"], a["data-check"]) for a, _ in report.all("li", "check") if a.get("data-check")}
    in_fail_lists = {
        (a["data-file"], a["data-check"])
        for tag, a, _ in report.found
        if tag == "li" and a.get("data-check") and _inside(report, a, "fails")
    }
    in_warn_lists = {
        (a["data-file"], a["data-check"])
        for tag, a, _ in report.found
        if tag == "li" and a.get("data-check") and _inside(report, a, "warns")
    }
    in_unjudged_lists = {
        (a["data-file"], a["data-check"])
        for tag, a, _ in report.found
        if tag == "li" and a.get("data-check") and _inside(report, a, "unjudged")
    }
    assert listed_fails == fails | warns | unjudged
    assert in_fail_lists == fails  # every FAIL, none dropped, no WARN among them
    assert in_warn_lists == warns
    assert in_unjudged_lists == unjudged  # a check that could not judge is neither a pass nor a fail
    fail_texts = [text for a, text in report.all("li", "check") if (a["data-file"], a["data-check"]) in fails]
    for c in records:
        if c["type"] == "check" and c["verdict"] == "FAIL":
            assert any(c["evidence"] in text for text in fail_texts), c["evidence"]  # with its whole evidence
    # The failed journey is named in what fails, with its file and why.
    failed = report.all("li", "failed-journey")
    assert len(failed) == 1 and "reset_password" in failed[0][1] and REDMINE_FILE in failed[0][1]
    assert "expected page text to contain" in failed[0][1]


def _inside(report: Outline, attrs: dict, list_class: str) -> bool:
    """Whether the list item with these attributes sits in a <ul class=list_class> (by document order)."""
    current = None
    for tag, a, _ in report.found:
        if tag == "ul" and (a.get("class") or "") in ("fails", "warns", "unjudged"):
            current = a["class"]
        if a is attrs:
            return current == list_class
    return False


def test_two_files_of_one_site_each_have_a_heading_that_names_them(report):
    headings = [text for _, text in report.all("h3", "file")]
    assert headings == [REDMINE_FILE, REDMINE_NOTIFY, TRAC_FILE]  # both Redmine files, by their relative paths
    sections = {a["data-file"]: text for a, text in report.all("section", "scenario-file")}
    assert "reset_password" in sections[REDMINE_FILE] and "reset_password" not in sections[REDMINE_NOTIFY]
    assert "watch_an_issue" in sections[REDMINE_NOTIFY] and "watch_an_issue" not in sections[REDMINE_FILE]
    assert "silence_after_cancel" in sections[REDMINE_NOTIFY] and "silence_after_cancel" not in sections[REDMINE_FILE]
    summary = [text for _, text in report.all("tr", "site-summary")]
    assert len(summary) == 2 and REDMINE_FILE in summary[0] and REDMINE_NOTIFY in summary[0]


def test_the_report_counts_in_words(report):
    journeys = [text for _, text in report.all("section", "journey")]
    register = next(text for text in journeys if "register" in text and "Redmine" not in text)
    assert "1 action (1 click, 0 fields), 1 page, 1 screen," in register
    text = " ".join(text for _, text in report.all("body"))
    assert not re.search(r"\b1 (?:actions|clicks|pages|screens|fields|journeys|details|lines)\b", text), text
    assert "1 detail" in text


def test_a_regression_is_told_in_words_with_the_right_plurals():
    earlier = EarlierRun(
        "run-1",
        "2026-11-20 02:00",
        {"cancel": {"outcome": "passed", "actions": 1, "clicks": 1, "screens": 1}},
        {},
    )
    now = [
        {
            "journey": "cancel",
            "kind": "cancel",
            "outcome": "passed",
            "effort": {"actions": 2, "clicks": 1, "screens": 1},
        }
    ]
    (found,) = regressions(earlier, now, {})
    assert found["evidence"] == (
        "cancelling (cancel) now takes 2 actions (1 click) over 1 screen; "
        "it took 1 action (1 click) over 1 screen on 2026-11-20 02:00"
    )


def test_an_expect_step_is_labelled_with_what_it_expects(tmp_path):
    path = tmp_path / "expects.journey.yaml"
    path.write_text(
        "site: {name: Shop, base_url: 'http://127.0.0.1:1'}\njourneys:\n  look:\n    kind: other\n    steps:\n"
        "      - expect: {text: [has been cancelled, on peruttu]}\n"
        "      - expect: {url: /account}\n"
        "      - expect: {not_visible: {role: button, name: Pay now}}\n"
        "      - expect: {title: Your account}\n"
    )
    labels = [step.label() for step in load_scenario(path).journeys["look"].steps]
    assert labels == [
        'expect text "has been cancelled" / "on peruttu"',
        "expect url /account",
        'expect not_visible button "Pay now"',
        'expect title "Your account"',
    ]


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (
            f"http://127.0.0.1:18100/account/lost_password?token={HEX_TOKEN}",
            f"http://127.0.0.1:18100/account/lost_password?token={TOKEN_MASK}",
        ),
        (
            "http://127.0.0.1:18200/trac/verify_email?token=b'Vo756xJm'&verify=1",
            f"http://127.0.0.1:18200/trac/verify_email?token={TOKEN_MASK}&verify=1",
        ),
        (
            "https://lists.example.org/mailman3/accounts/confirm-email/?pwauth=Zm9vYmFyYmF6cXV4&amp;key=8f2b1e4a9c&page=2",
            f"https://lists.example.org/mailman3/accounts/confirm-email/?pwauth={TOKEN_MASK}&amp;key={TOKEN_MASK}&page=2",
        ),
        (
            "see https://shop.example/login?access_token=eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl&next=/orders).",
            f"see https://shop.example/login?access_token={TOKEN_MASK}&next=/orders).",
        ),
        ("https://shop.example/search?q=running+shoes&page=12&code=", None),  # nothing secret: unchanged
        ("https://shop.example/?reset=true&t=1", None),
        ("http://127.0.0.1:1/welcome.html?email=a%40b.example&password={persona.password}&plan=basic", None),
    ],
)
def test_one_time_tokens_in_query_strings_are_masked_and_the_url_stays_readable(url, masked):
    assert mask_link_tokens(url) == (masked or url)


def test_the_token_in_a_followed_mail_links_path_is_masked_everywhere_in_the_record():
    django = "http://127.0.0.1:18300/accounts/reset/Mg/c3k9gh-8f2b1e4a5d6c7b8a9f0e1d2c3b4a/"
    demo = "http://127.0.0.1:8000/password/reset/xJ_9kQvR2mWpZt4LbN8sYg"
    project = "http://127.0.0.1:18300/projects/journeytest-public-project-v2/issues/2026-12-02"
    record = {
        "opened_links": [{"href": django, "subject": "Password reset"}],
        "steps": [
            {"action": "open_email_link", "url_after": demo},
            {"action": "goto", "url_after": "http://127.0.0.1:18300/issues/2024-11-30/set-new-password/12345"},
        ],
        "emails": [{"text": f"Reset it here: {django}\n", "links": [django, project]}],
        "final_url": "http://127.0.0.1:18300/accounts/reset/Mg/set-password/",
    }
    masked = mask_output(record, {}, [record])
    assert masked["opened_links"][0]["href"] == f"http://127.0.0.1:18300/accounts/reset/Mg/{TOKEN_MASK}/"
    assert masked["emails"][0]["text"] == f"Reset it here: http://127.0.0.1:18300/accounts/reset/Mg/{TOKEN_MASK}/\n"
    assert masked["steps"][0]["url_after"] == f"http://127.0.0.1:8000/password/reset/{TOKEN_MASK}"
    assert masked["steps"][1] == record["steps"][1]  # a page's own path (dates, words, numbers) is left alone
    assert masked["final_url"] == record["final_url"]
    assert masked["emails"][0]["links"][1] == project  # a mail link to a page, not a token: left alone
    assert mail_link_tokens([record]) == {"c3k9gh-8f2b1e4a5d6c7b8a9f0e1d2c3b4a", "xJ_9kQvR2mWpZt4LbN8sYg"}


# --------------------------------------------------------------------------- a results file from anyone

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _crafted(tmp_path, records: list[dict]) -> Path:
    path = tmp_path / "results" / "results.jsonl"
    path.parent.mkdir()
    writer = ResultsWriter(path, "run-crafted", {"environment": None, "options": {}})
    for record in records:
        writer.write(record)
    writer.finish(1)
    return path


def test_html_in_effort_figures_is_a_rejected_line_not_a_page_that_leaves(tmp_path):
    figures = effort(2, 1, 2, 2)
    figures["clicks"] = '2"><meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/">'
    one_step = [step(0, "goto", "goto /", REDMINE, REDMINE)]
    crafted = journey(REDMINE_FILE, "Redmine", REDMINE, "sign_up", "acquire", one_step, effort=figures)
    honest = journey(REDMINE_FILE, "Redmine", REDMINE, "cancel", "cancel", one_step)
    results = read_results(_crafted(tmp_path, [crafted, honest]))
    page = render_report(results)
    assert 'http-equiv="refresh"' not in page
    assert [j["journey"] for j in results.journeys] == ["cancel"]
    assert results.rejected == [f"line 2: effort.clicks: {figures['clicks']!r} is not of type 'number'"[:220]]
    assert "1 line of the results file did not match its schema and was left out" in page


def test_only_pictures_under_the_results_folder_are_embedded(tmp_path):
    inside = tmp_path / "results" / "evidence" / "step-1.png"
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(PNG)
    not_a_picture = tmp_path / "results" / "evidence" / "passwd.png"
    records = [
        journey(
            REDMINE_FILE,
            "Redmine",
            REDMINE,
            "sign_up",
            "acquire",
            [
                {**step(0, "goto", "goto /", REDMINE, REDMINE), "screenshot": str(inside)},
                {**step(1, "goto", "goto /a", REDMINE, REDMINE), "screenshot": str(outside)},
                {**step(2, "goto", "goto /b", REDMINE, REDMINE), "screenshot": "/etc/passwd"},
                {**step(3, "goto", "goto /c", REDMINE, REDMINE), "screenshot": str(not_a_picture)},
            ],
        )
    ]
    path = _crafted(tmp_path, records)
    inside.parent.mkdir()
    inside.write_bytes(PNG)
    not_a_picture.write_text("root:x:0:0:root:/root:/bin/bash\n")
    page = render_report(read_results(path))
    assert page.count("data:image/png;base64,") == 2  # the inside picture, thumb and full size
    assert f"{outside} is outside the results folder" in page
    assert "/etc/passwd is outside the results folder" in page
    assert f"{not_a_picture} is no PNG or JPEG picture" in page
    assert "root:x:0:0" not in page
