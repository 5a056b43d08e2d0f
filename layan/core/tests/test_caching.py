"""ProcessCache: a value is read once, kept for its seconds, and read again after clear()."""

from layan.core.caching import ProcessCache


def _counting_loader():
    reads = []

    def load(key):
        reads.append(key)
        return f"value of {key}"

    return load, reads


def test_a_value_is_read_once_while_fresh():
    cache = ProcessCache(60)
    load, reads = _counting_loader()
    assert cache.get("a", load) == "value of a"
    assert cache.get("a", load) == "value of a"
    assert cache.get("b", load) == "value of b"
    assert reads == ["a", "b"]


def test_an_expired_or_cleared_value_is_read_again():
    load, reads = _counting_loader()
    expired = ProcessCache(0)
    expired.get("a", load)
    expired.get("a", load)
    assert reads == ["a", "a"]
    kept = ProcessCache(60)
    kept.get("b", load)
    kept.clear()
    kept.get("b", load)
    assert reads == ["a", "a", "b", "b"]


def test_none_is_a_value_too():
    # "no active snapshot" is an answer worth keeping, not a miss.
    cache = ProcessCache(60)
    reads = []
    cache.get("x", lambda key: reads.append(key))
    assert cache.get("x", lambda key: reads.append(key)) is None
    assert reads == ["x"]
