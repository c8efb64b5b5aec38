"""Read the rule rows into the pure `recommend.RuleSet`."""

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
