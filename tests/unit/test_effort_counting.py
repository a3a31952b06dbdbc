"""How effort is counted, without a browser: which URLs are one page, and what the customer's clock includes."""

from __future__ import annotations

import time

import pytest

from journeytest.record.effort import EffortRecorder, looks_random, screen_key

SITE = "https://apps.example"


def pages(*urls: str) -> int:
    recorder = EffortRecorder()
    for url in urls:
        recorder.on_page_load(SITE + url)
    return recorder.finish().distinct_pages


def test_a_wiki_routed_by_its_query_string_has_a_page_per_action():
    """DokuWiki routes everything through doku.php: ?do=register and ?do=login are two pages, whatever their order
    or the security token the login link carries."""
    assert pages("/doku.php?id=start", "/doku.php?id=start&do=register", "/doku.php?id=start&do=login") == 3
    assert screen_key(SITE + "/doku.php?do=login&id=start&sectok=") == screen_key(
        SITE + "/doku.php?id=start&do=login&sectok=5f3ac1e0b7d94a2c8e6f1d0b9a7c3e21"
    )


def test_mediawiki_pages_are_their_title_not_where_they_return_to():
    login = "/index.php?title=Special:UserLogin&returnto=Main+Page"
    assert screen_key(SITE + login) == screen_key(
        SITE + "/index.php?title=Special:UserLogin&returnto=Help:Contents&returntoquery=action%3Dedit"
    )
    assert pages(login, "/index.php?title=Special:CreateAccount&returnto=Main+Page", "/index.php?title=Main_Page") == 3
    assert screen_key(SITE + login) == f"{SITE}/index.php?title=Special:UserLogin"  # readable in the report


def test_path_routed_apps_trac_and_redmine_count_paths_and_drop_where_to_go_back_to():
    assert pages("/trac/login?referer=%2Ftrac%2Fwiki", "/trac/register", "/trac/prefs", "/trac/login") == 3
    assert pages("/login?back_url=https%3A%2F%2Fapps.example%2Fmy%2Fpage", "/login", "/account/register") == 2
    assert screen_key(SITE + "/account/activate?token=9d1f0c2b7a8e4f6d") == f"{SITE}/account/activate"
    assert pages("/account/lost_password?token=abcdef123", "/account/lost_password?token=zyxwvu987") == 1
    assert pages("/activate.php?key=k3y4ab", "/activate.php?key=q9w8er", "/activate.php") == 1


@pytest.mark.parametrize(
    "noisy",
    [
        "/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=spring",
        "/pricing?gclid=EAIaIQobChMI8pD4&fbclid=IwAR2xYz",
        "/pricing?PHPSESSID=8a1f9c2e7d3b4a5f6e7d8c9b0a1f2e3d",
        "/pricing;jsessionid=A1B2C3D4E5F6",
        "/pricing?_=1764670000000",
        "/pricing?c=Zm9vYmFyMTIzNDU2Nzg5MA",  # a random value, whatever its key
        "/pricing?id=550e8400-e29b-41d4-a716-446655440000",
        "/pricing?next=https://apps.example/checkout",
    ],
)
def test_volatile_query_values_are_the_same_page(noisy):
    assert screen_key(SITE + noisy) == f"{SITE}/pricing"


def test_names_that_route_are_kept_tokens_are_not():
    assert pages("/index.php?q=user/register", "/index.php?q=user/login", "/ucp.php?mode=register") == 3
    assert (
        screen_key(SITE + "/index.php?title=Meeting_notes_2026-05") == f"{SITE}/index.php?title=Meeting_notes_2026-05"
    )
    assert not looks_random("Special:UserLogin") and not looks_random("register") and not looks_random("2026")
    assert looks_random("Zm9vYmFyMTIzNDU2Nzg5") and looks_random("a8f5f167f44f4964e6c998dee827110c")


def test_the_password_of_a_get_form_is_never_part_of_a_page_name():
    key = screen_key(SITE + "/welcome.html?email=a%40example.com&password=secret12&plan=pro")
    assert "secret12" not in key and "plan=pro" in key


def test_hash_routes_still_count():
    assert pages("/app#/settings", "/app#/billing", "/app#top") == 3


def test_what_the_page_does_after_the_last_step_is_no_steps_cost():
    recorder = EffortRecorder()
    recorder.on_page_load(SITE + "/leave")
    recorder.hold()  # the last step ended; a late load arrives while the harness snapshots the screen
    recorder.on_page_load(SITE + "/goodbye")
    recorder.on_dialog()
    effort = recorder.finish()
    assert (effort.page_loads, effort.dialogs, effort.distinct_pages) == (1, 0, 1)


def test_what_the_page_does_between_two_steps_counts_in_the_next():
    recorder = EffortRecorder()
    recorder.hold()
    recorder.on_page_load(SITE + "/next")
    recorder.on_route_change(SITE + "/next#/tab")
    assert recorder.effort.page_loads == 0
    recorder.release()
    assert (recorder.effort.page_loads, recorder.effort.route_changes, recorder.navigations) == (1, 1, 2)


def test_the_clock_starts_with_the_first_step_and_leaves_out_the_harness_time():
    recorder = EffortRecorder()
    recorder.exclude_pause(5.0)  # snapshotting the page a journey resumes on, before its first step
    recorder.start_clock()
    time.sleep(0.05)
    recorder.exclude_pause(0.03)
    effort = recorder.finish()
    assert 0.015 <= effort.wall_time_s < 0.2
    assert effort.harness_pauses_s == 5.03
