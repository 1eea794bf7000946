"""Retry delays: exponential ceiling, cap, full jitter, Retry-After floor."""

from __future__ import annotations

import itertools
import random
import statistics

import pytest

from core.notices.backoff import next_attempt_delay


def test_delay_stays_under_the_exponential_ceiling():
    rng = random.Random(7)
    for attempt, ceiling in [(1, 30), (2, 60), (3, 120), (4, 240)]:
        delays = [next_attempt_delay(attempt, base=30, cap=10_000, rng=rng) for _ in range(500)]
        assert all(0 <= d <= ceiling for d in delays)
        # full jitter: the draws spread over the whole interval, not clustered at the top
        assert min(delays) < ceiling * 0.1 and max(delays) > ceiling * 0.9


def test_delay_never_exceeds_the_cap_even_after_many_attempts():
    rng = random.Random(1)
    assert all(next_attempt_delay(a, base=30, cap=600, rng=rng) <= 600 for a in range(1, 2000))


def test_mean_delay_grows_until_the_cap():
    rng = random.Random(3)
    means = [statistics.mean(next_attempt_delay(a, 10, 1000, rng) for _ in range(2000)) for a in range(1, 9)]
    assert means[0] == pytest.approx(5, rel=0.15)
    assert all(later > earlier for earlier, later in itertools.pairwise(means[:7]))
    assert means[-1] == pytest.approx(500, rel=0.15)  # 10 * 2**7 = 1280 is capped at 1000


def test_seeded_rng_is_reproducible():
    first = [next_attempt_delay(a, rng=random.Random(42)) for a in range(1, 6)]
    again = [next_attempt_delay(a, rng=random.Random(42)) for a in range(1, 6)]
    assert first == again


def test_retry_after_is_a_floor_but_still_capped():
    rng = random.Random(0)
    assert next_attempt_delay(1, base=30, cap=3600, rng=rng, at_least=120) >= 120
    assert next_attempt_delay(1, base=30, cap=600, rng=rng, at_least=86_400) == 600


@pytest.mark.parametrize(("attempt", "base", "cap"), [(0, 30, 60), (1, 0, 60), (1, 30, -1)])
def test_nonsense_arguments_are_refused(attempt, base, cap):
    with pytest.raises(ValueError):
        next_attempt_delay(attempt, base, cap)
