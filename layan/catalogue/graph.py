"""The step graph of a service definition: which outcomes a step offers and where each leads.

Pure functions over a ServiceDoc, shared by the case services, the step kinds,
the service listing of the API and the every-path test. What an outcome means
is the step kind's (`layan/cases/steps/`).
"""

from layan.catalogue.schema import EndState, ServiceDoc, Step

CONTINUE = "lanjut"  # the one outcome of a step that only goes on (`next`)
END_STATES = {state.value for state in EndState}
# Ends that turn the applicant away: they are told why, and what to do next.
TURNED_AWAY = {EndState.DITOLAK.value, EndState.DIRUJUK.value}


def step_outcomes(step: Step) -> list[str]:
    """Every outcome a step can have, in the definition's order."""
    if step.outcomes:
        return list(step.outcomes)
    if step.next:
        return [CONTINUE]
    if step.end:
        return [step.end.value]
    return []


def step_target(step: Step, outcome: str) -> str:
    """The step key or end state an outcome leads to."""
    if step.outcomes:
        return step.outcomes[outcome]
    if step.next:
        return step.next
    if step.end is None:  # the schema's semantic checks give every step a way on
        raise ValueError(f"langkah '{step.key}' tidak punya lanjutan")
    return step.end.value


def is_end(target: str) -> bool:
    return target in END_STATES


def sends_back(doc: ServiceDoc, step: Step, outcome: str) -> bool:
    """Whether an outcome sends the case back for revision: it leads to this step or an
    earlier one of the definition (kembalikan, or a second try at a checklist), not to an end."""
    target = step_target(step, outcome)
    if is_end(target):
        return False
    order = [s.key for s in doc.steps]
    return order.index(target) <= order.index(step.key)


def turns_away(step: Step, outcome: str) -> bool:
    """Whether `outcome` of `step` ends the case as ditolak or dirujuk."""
    return outcome in step_outcomes(step) and step_target(step, outcome) in TURNED_AWAY


def all_paths(doc: ServiceDoc, *, max_visits: int = 2) -> list[list[tuple[str, str]]]:
    """Every path from the first step to an end, as (step, outcome) pairs.

    A loop (a return for revision) is taken at most `max_visits - 1` times per
    step, so every outcome of every decision appears on some path and the
    number of paths stays finite.
    """
    paths: list[list[tuple[str, str]]] = []

    def walk(key: str, path: list[tuple[str, str]], visits: dict[str, int]) -> None:
        if visits.get(key, 0) >= max_visits:
            return
        visits = {**visits, key: visits.get(key, 0) + 1}
        step = doc.step_map[key]
        for outcome in step_outcomes(step):
            target = step_target(step, outcome)
            taken = [*path, (key, outcome)]
            if is_end(target):
                paths.append(taken)
            else:
                walk(target, taken, visits)

    walk(doc.steps[0].key, [], {})
    return paths
