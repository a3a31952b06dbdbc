"""The wording classifiers on a real page in a real browser: a help-centre style cancel path that asks
for a phone call in prose (no tel: link), a decline written with a curly apostrophe, a footer phone
number on every page, and the fair path beside it."""

from __future__ import annotations

SCENARIO = """\
site: {{name: Fit Club, base_url: '{url}'}}
journeys:
  cancel:
    kind: cancel
    steps:
{steps}
"""
DARK = """\
      - goto: /membership/index.html
      - click: {text: Cancel membership, nth: 1}
      - click: {text: "No thanks"}
      - expect: {text: How do I cancel}
"""
FAIR = """\
      - goto: /membership/online.html
      - click: Cancel membership
      - expect: {text: has been cancelled}
"""


def test_a_cancel_path_ending_in_a_phone_call_and_a_shaming_decline_fail_with_their_words(pytester, site_url):
    pytester.makefile(".journey.yaml", club=SCENARIO.format(url=site_url, steps=DARK))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "FAIL  club.journey.yaml::retention_and_confirmshaming: the decline button on 'Before you go - Fit Club' "
            '(*/membership/offer.html) shames the customer: "No thanks, I’d rather keep paying full price" '
            '(prefers a loss: "full price")',
            "FAIL  club.journey.yaml::same_medium: the cancel path ends in another channel on 'How to cancel - Fit Club' "
            '(*/membership/how.html): "Memberships can be cancelled by calling our member services team at '
            '1-877-555-0142, Monday to Friday" (by phone: "by calling our member services team at 1-877-555-0142")',
        ]
    )


def test_the_web_way_with_help_offered_and_a_footer_number_passes(pytester, site_url):
    pytester.makefile(".journey.yaml", club=SCENARIO.format(url=site_url, steps=FAIR))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "PASS  club.journey.yaml::retention_and_confirmshaming: cancel shows no retention offer and no shaming wording",
            "PASS  club.journey.yaml::same_medium: cancel stays on the web from start to end",
        ]
    )
