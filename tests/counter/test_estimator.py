"""The waiting-time estimator as stated in madoguchi/counter/estimator.py."""

from __future__ import annotations

from madoguchi.counter import estimator
from madoguchi.counter.estimator import Desk, Waiting, estimate, handling_time, minutes
from madoguchi.counter.simulation import figures, simulate

ALL = frozenset({"a", "b"})


def test_an_empty_queue_with_a_free_counter_is_no_wait_and_shows_0_minutes():
    mine = Waiting(service="a", priority=5, place=10)
    seconds = estimate(mine=mine, queue=[mine], desks=[Desk(services=ALL)],
                       handling={"a": 300})
    assert seconds == 0
    assert minutes(seconds) == 0


def test_minutes_round_up_so_a_short_wait_is_never_shown_as_none():
    assert minutes(1) == 1
    assert minutes(60) == 1
    assert minutes(61) == 2


def test_people_ahead_are_shared_by_the_open_counters_serving_the_service():
    queue = [Waiting(service="a", priority=5, place=i) for i in range(4)]
    mine = Waiting(service="a", priority=5, place=10)
    one = estimate(mine=mine, queue=queue, desks=[Desk(services=ALL)], handling={"a": 300})
    two = estimate(mine=mine, queue=queue, desks=[Desk(services=ALL), Desk(services=ALL)],
                   handling={"a": 300})
    assert one == 4 * 300
    assert two == 2 * 300


def test_each_ticket_ahead_counts_with_its_own_services_handling_time():
    queue = [Waiting(service="b", priority=5, place=1), Waiting(service="a", priority=5, place=2)]
    mine = Waiting(service="a", priority=5, place=3)
    assert estimate(mine=mine, queue=queue, desks=[Desk(services=ALL)],
                    handling={"a": 120, "b": 600}) == 720


def test_a_counter_that_does_not_serve_the_service_does_not_shorten_the_wait():
    queue = [Waiting(service="a", priority=5, place=i) for i in range(3)]
    mine = Waiting(service="a", priority=5, place=10)
    desks = [Desk(services=frozenset({"a"})), Desk(services=frozenset({"b"}))]
    assert estimate(mine=mine, queue=queue, desks=desks, handling={"a": 100, "b": 100}) == 300


def test_the_ticket_being_served_counts_with_its_remaining_time():
    mine = Waiting(service="a", priority=5, place=10)
    busy = Desk(services=ALL, serving="a", elapsed=100)
    assert estimate(mine=mine, queue=[mine], desks=[busy], handling={"a": 300}) == 200
    overrun = Desk(services=ALL, serving="a", elapsed=900)
    assert estimate(mine=mine, queue=[mine], desks=[overrun],
                    handling={"a": 300}) == round(estimator.OVERRUN * 300)


def test_a_higher_priority_service_goes_first_and_a_lower_one_is_not_ahead():
    queue = [Waiting(service="b", priority=3, place=20), Waiting(service="b", priority=9, place=1)]
    mine = Waiting(service="a", priority=5, place=10)
    assert estimate(mine=mine, queue=queue, desks=[Desk(services=ALL)],
                    handling={"a": 100, "b": 100}) == 100


def test_handling_time_is_the_recent_mean_once_there_are_enough_samples():
    assert handling_time([], 300) == 300
    assert handling_time([100, 200], 300) == 300  # fewer than MIN_SAMPLES: expected
    assert handling_time([100, 200, 300], 999) == 200
    old_and_recent = [10_000] + [60] * estimator.RECENT
    assert handling_time(old_and_recent, 300) == 60  # only the last RECENT count


def test_nobody_serving_the_service_falls_back_to_one_counter_for_it():
    queue = [Waiting(service="c", priority=5, place=1)]
    mine = Waiting(service="c", priority=5, place=2)
    assert estimate(mine=mine, queue=queue, desks=[Desk(services=ALL)],
                    handling={"c": 400}) == 400


def test_on_the_simulated_day_the_estimate_beats_the_naive_one_by_the_target():
    result = figures(simulate(seed=17))
    assert result["tickets"] == 300
    assert result["error_reduction"] >= 0.30
    assert result["within_5_minutes"] >= 0.80
