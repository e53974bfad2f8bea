"""Group commit: items that arrive while batches run share the next batch; a few run at once."""

from __future__ import annotations

import asyncio
import threading

from bot.domain.messaging.group_commit import GroupCommit


class Gate:
    """A batch function that records its batches and waits until the test lets it finish."""

    def __init__(self, expect_running: int) -> None:
        self.batches: list[list[str]] = []
        self.expect = expect_running
        self.running = threading.Barrier(expect_running + 1, timeout=10)  # + the test
        self.release = threading.Event()

    def __call__(self, items: list[str]) -> list[str]:
        self.batches.append(list(items))
        if len(self.batches) <= self.expect:
            self.running.wait()  # every expected batch is in flight at the same time
            self.release.wait(10)
        return [item.upper() for item in items]


async def test_what_arrives_while_the_batches_run_goes_together() -> None:
    gate = Gate(expect_running=2)
    commit: GroupCommit[str, str] = GroupCommit(gate, parallel=2)
    first = asyncio.ensure_future(commit.submit("a"))
    await asyncio.sleep(0)  # one turn of the loop (not a wait): the first batch starts
    second = asyncio.ensure_future(commit.submit("b"))
    await asyncio.sleep(0)
    later = [asyncio.ensure_future(commit.submit(x)) for x in ("c", "d", "e")]
    await asyncio.to_thread(gate.running.wait)  # both batches in flight at once...
    gate.release.set()
    assert await asyncio.gather(first, second, *later) == ["A", "B", "C", "D", "E"]
    assert gate.batches[:2] == [["a"], ["b"]]
    assert sorted(x for batch in gate.batches[2:] for x in batch) == ["c", "d", "e"]
    assert len(gate.batches) == 3  # ...and what came meanwhile was one batch


async def test_a_failed_batch_fails_each_of_its_callers() -> None:
    def broken(items: list[str]) -> list[str]:
        raise OSError("database gone")

    commit: GroupCommit[str, str] = GroupCommit(broken)
    results = await asyncio.gather(commit.submit("a"), commit.submit("b"),
                                   return_exceptions=True)
    assert all(isinstance(r, OSError) for r in results)


async def test_an_item_submitted_as_the_last_batch_ends_is_not_left_waiting() -> None:
    """The caller of a batch resumes before the batch's task is done; its next item still goes.

    With one batch at a time, an item submitted in that moment found the finished batch still
    counted as running, and nothing ever wrote it.
    """
    commit: GroupCommit[str, str] = GroupCommit(lambda items: [x.upper() for x in items],
                                                parallel=1)

    async def twice() -> tuple[str, str]:
        first = await commit.submit("a")
        return first, await commit.submit("b")  # at once, in the step the caller resumes

    assert await asyncio.wait_for(twice(), timeout=10) == ("A", "B")
