"""The rules as data: read into the pure `recommend.RuleSet`, and checked before a change is saved."""

from . import recommend
from .models import AnswerRule, Need, NeedRule, Role


def load_rules() -> recommend.RuleSet:
    roles = list(Role.objects.published())
    published = {r.slug for r in roles}
    need_rules: dict[str, list[recommend.NeedRule]] = {n.slug: [] for n in Need.objects.published()}
    for rule in NeedRule.objects.select_related("need", "role"):
        if rule.need.slug in need_rules and rule.role.slug in published:
            need_rules[rule.need.slug].append(
                recommend.NeedRule(rule.role.slug, rule.primary_points, rule.secondary_points, rule.reason)
            )
    answer_rules: dict[tuple[str, str], list[recommend.AnswerRule]] = {}
    for rule in AnswerRule.objects.select_related("option__question", "role").filter(option__question__published=True):
        if rule.role.slug in published:
            key = (rule.option.question.slug, rule.option.slug)
            answer_rules.setdefault(key, []).append(recommend.AnswerRule(rule.role.slug, rule.points, rule.reason))
    return recommend.RuleSet(
        roles=tuple(r.slug for r in roles),
        role_names={r.slug: r.name for r in roles},
        need_names={n.slug: n.name for n in Need.objects.all()},
        need_rules={k: tuple(v) for k, v in need_rules.items()},
        answer_rules={k: tuple(v) for k, v in answer_rules.items()},
    )


def rule_state() -> tuple[dict, dict, dict]:
    """The saved rule set.

    Returns need pk -> (name, published); need pk -> [(role pk, primary points)]; role pk -> published.
    """
    needs = {pk: (name, published) for pk, name, published in Need.objects.values_list("pk", "name", "published")}
    rules: dict[int, list[tuple[int, int]]] = {pk: [] for pk in needs}
    for need_id, role_id, points in NeedRule.objects.values_list("need_id", "role_id", "primary_points"):
        rules[need_id].append((role_id, points))
    roles = dict(Role.objects.values_list("pk", "published"))
    return needs, rules, roles


def needs_without_a_role(needs: dict, rules: dict, roles: dict) -> list[str]:
    """Names of published needs that would recommend no role.

    A need recommends a role through a rule that gives a published role positive
    points when it is the main need; without one, the worksheet has nothing to point to.
    """
    return [
        name
        for pk, (name, published) in needs.items()
        if published and not any(points > 0 and roles.get(role_id) for role_id, points in rules.get(pk, []))
    ]


def refusal(names: list[str], change: str) -> str:
    listed = ", ".join(names)
    return (
        f"{change} would leave {listed} with no role to recommend. "
        "Each published need needs a rule giving a published role positive points as the main need."
    )
