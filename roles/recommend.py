"""The role recommendation: answers and rules in, a ranked and explained result out.

Pure on purpose: no request, no ORM. `roles.rules.load_rules()` turns the rows
program directors curate into a `RuleSet`; the worksheet stores what this returns.

How a score is made:
- the main need gives each role its `primary_points`, every other need its
  `secondary_points`;
- each refining answer adds (or takes away) the points of its rules;
- every rule that fires leaves its reason beside the role it scored.

Ties are broken, in this order, by (1) the points the main need gave the role,
so the role the person's own need names wins; then (2) the role's position in
the guide (`RuleSet.roles` order).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NeedRule:
    role: str
    primary_points: int
    secondary_points: int
    reason: str


@dataclass(frozen=True)
class AnswerRule:
    role: str
    points: int
    reason: str


@dataclass(frozen=True)
class RuleSet:
    roles: tuple[str, ...]
    role_names: Mapping[str, str]
    need_names: Mapping[str, str]
    need_rules: Mapping[str, tuple[NeedRule, ...]]
    # (question slug, option slug) -> rules
    answer_rules: Mapping[tuple[str, str], tuple[AnswerRule, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Reason:
    points: int
    text: str


@dataclass(frozen=True)
class Ranked:
    role: str
    name: str
    score: int
    rank: int
    reasons: tuple[Reason, ...]
    main_need_points: int = 0  # what the main need alone gave: the first tie-break


class NoNeedError(ValueError):
    pass


def recommend(
    *,
    primary_need: str,
    other_needs: Iterable[str] = (),
    answers: Mapping[str, str] | None = None,
    rules: RuleSet,
) -> list[Ranked]:
    if not primary_need:
        raise NoNeedError("Name the need first: a recommendation needs a main need.")
    if primary_need not in rules.need_rules:
        raise NoNeedError(f"Unknown need: {primary_need!r}.")
    others = [n for n in dict.fromkeys(other_needs) if n != primary_need]
    for need in others:
        if need not in rules.need_rules:
            raise NoNeedError(f"Unknown need: {need!r}.")

    scores = dict.fromkeys(rules.roles, 0)
    reasons: dict[str, list[Reason]] = {role: [] for role in rules.roles}
    primary_points = dict.fromkeys(rules.roles, 0)

    def add(role: str, points: int, text: str) -> None:
        if role in scores and points:
            scores[role] += points
            reasons[role].append(Reason(points, text))

    for rule in rules.need_rules[primary_need]:
        add(rule.role, rule.primary_points, rule.reason)
        if rule.role in primary_points:
            primary_points[rule.role] = rule.primary_points
    for need in others:
        for rule in rules.need_rules[need]:
            add(rule.role, rule.secondary_points, rule.reason)
    for question, option in sorted((answers or {}).items()):
        for rule in rules.answer_rules.get((question, option), ()):
            add(rule.role, rule.points, rule.reason)

    position = {role: i for i, role in enumerate(rules.roles)}
    ordered = sorted(rules.roles, key=lambda r: (-scores[r], -primary_points[r], position[r]))
    return [
        Ranked(
            role=role,
            name=rules.role_names.get(role, role),
            score=scores[role],
            rank=i + 1,
            reasons=tuple(sorted(reasons[role], key=lambda r: -r.points)),
            main_need_points=primary_points[role],
        )
        for i, role in enumerate(ordered)
    ]


def with_article(name: str) -> str:
    """'a coach', 'an advisor'."""
    word = name.lower()
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def mismatch_warnings(*, chosen: str, primary_need: str, ranking: Sequence[Ranked], rules: RuleSet) -> list[str]:
    """Plain-words warnings when the chosen role is not the recommended one."""
    if not ranking or ranking[0].role == chosen:
        return []
    by_role = {r.role: r for r in ranking}
    if chosen not in by_role:
        raise ValueError(f"Unknown role: {chosen!r}.")
    top, picked = ranking[0], by_role[chosen]
    warnings = []
    need_roles = [r for r in rules.need_rules.get(primary_need, ()) if r.primary_points > 0]
    if need_roles and chosen not in {r.role for r in need_roles}:
        best = max(need_roles, key=lambda r: r.primary_points)
        warnings.append(
            f"You named {rules.need_names.get(primary_need, primary_need).lower()} as your main need, "
            f"and that points to {with_article(rules.role_names.get(best.role, best.role))}, "
            f"not {with_article(picked.name)}."
        )
    warnings.extend(reason.text for reason in picked.reasons if reason.points < 0)
    warnings.append(
        f"Your answers fit {with_article(top.name)} best ({top.score} points); "
        f"{with_article(picked.name)} scored {picked.score}."
    )
    return warnings
