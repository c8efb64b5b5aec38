"""The recommendation as a table of cases, against the guidance devboard ships with."""

import pytest

from roles import guidance, recommend


def shipped_rules() -> recommend.RuleSet:
    """The shipped guidance (roles/guidance.py) as a RuleSet, without the database."""
    return recommend.RuleSet(
        roles=tuple(r["slug"] for r in sorted(guidance.ROLES, key=lambda r: r["order"])),
        role_names={r["slug"]: r["name"] for r in guidance.ROLES},
        need_names={n["slug"]: n["name"] for n in guidance.NEEDS},
        need_rules={
            need: tuple(recommend.NeedRule(role, p, s, reason) for role, p, s, reason in rules)
            for need, rules in guidance.NEED_RULES.items()
        },
        answer_rules={
            (q["slug"], slug): tuple(recommend.AnswerRule(role, points, reason) for role, points, reason in rules)
            for q in guidance.QUESTIONS
            for slug, _, rules in q["options"]
        },
    )


RULES = shipped_rules()


def top(**kwargs) -> str:
    return recommend.recommend(rules=RULES, **kwargs)[0].role


@pytest.mark.parametrize(
    "need, role",
    [("access", "sponsor"), ("clarity", "coach"), ("content", "advisor"), ("wisdom", "mentor")],
)
def test_each_need_alone_points_to_its_role(need, role):
    assert top(primary_need=need) == role


@pytest.mark.parametrize(
    "primary, others, answers, expected",
    [
        # the resident who wants clear answers about a rotation: content + direct answers
        ("content", [], {"answers": "direct", "horizon": "one"}, "advisor"),
        # overwhelmed junior faculty: clarity, help thinking it through
        ("clarity", ["wisdom"], {"answers": "think"}, "coach"),
        # a long career path with doors to open
        ("wisdom", ["access"], {"horizon": "long", "doors": "yes"}, "mentor"),
        ("access", ["wisdom"], {"doors": "yes", "horizon": "long"}, "sponsor"),
        # wanting direct answers and a single decision outweighs a main need of clarity
        ("clarity", ["content"], {"answers": "direct", "horizon": "one", "field": "yes"}, "advisor"),
        # not needing doors opened takes a sponsor off the top even when access is named
        ("access", ["content"], {"doors": "no", "answers": "direct", "horizon": "one", "field": "yes"}, "advisor"),
    ],
)
def test_combinations(primary, others, answers, expected):
    assert top(primary_need=primary, other_needs=others, answers=answers) == expected


def test_refining_answers_change_the_ranking():
    before = recommend.recommend(primary_need="clarity", other_needs=["content"], rules=RULES)
    after = recommend.recommend(
        primary_need="clarity", other_needs=["content"], answers={"answers": "direct"}, rules=RULES
    )
    assert before[0].role == "coach"
    assert after[0].role == "advisor"


def test_every_role_is_ranked_once_with_ranks_in_order():
    ranking = recommend.recommend(primary_need="access", rules=RULES)
    assert sorted(r.role for r in ranking) == ["advisor", "coach", "mentor", "sponsor"]
    assert [r.rank for r in ranking] == [1, 2, 3, 4]
    assert [r.score for r in ranking] == sorted((r.score for r in ranking), reverse=True)


def test_results_explain_themselves():
    sponsor = recommend.recommend(primary_need="access", answers={"doors": "yes"}, rules=RULES)[0]
    assert sponsor.score == 9
    assert [r.points for r in sponsor.reasons] == [6, 3]
    assert "doors" in sponsor.reasons[0].text


def test_ties_go_to_the_role_the_main_need_points_to():
    # clarity + direct answers: coach 6-3=3, advisor 3, mentor 2+1=3 -> three-way tie
    ranking = recommend.recommend(primary_need="clarity", answers={"answers": "direct"}, rules=RULES)
    assert [r.score for r in ranking[:3]] == [3, 3, 3]
    assert [r.role for r in ranking[:3]] == ["coach", "mentor", "advisor"]


def test_remaining_ties_follow_the_guide_order():
    rules = recommend.RuleSet(
        roles=("mentor", "sponsor", "coach", "advisor"),
        role_names={},
        need_names={},
        need_rules={"x": (recommend.NeedRule("coach", 1, 0, "r"), recommend.NeedRule("advisor", 1, 0, "r"))},
    )
    ranking = recommend.recommend(primary_need="x", rules=rules)
    assert [r.role for r in ranking] == ["coach", "advisor", "mentor", "sponsor"]


def test_the_result_is_deterministic():
    kwargs = {
        "primary_need": "wisdom",
        "other_needs": ["clarity", "access"],
        "answers": {"answers": "think"},
        "rules": RULES,
    }
    assert recommend.recommend(**kwargs) == recommend.recommend(**kwargs)


def test_a_main_need_named_again_as_another_need_counts_once():
    once = recommend.recommend(primary_need="access", rules=RULES)
    twice = recommend.recommend(primary_need="access", other_needs=["access"], rules=RULES)
    assert once == twice


@pytest.mark.parametrize("need", ["", None])
def test_empty_input_is_refused(need):
    with pytest.raises(recommend.NoNeedError):
        recommend.recommend(primary_need=need, rules=RULES)


def test_an_unknown_need_is_refused():
    with pytest.raises(recommend.NoNeedError):
        recommend.recommend(primary_need="luck", rules=RULES)
    with pytest.raises(recommend.NoNeedError):
        recommend.recommend(primary_need="access", other_needs=["luck"], rules=RULES)


def test_choosing_the_recommended_role_gives_no_warning():
    ranking = recommend.recommend(primary_need="content", answers={"answers": "direct"}, rules=RULES)
    assert recommend.mismatch_warnings(chosen="advisor", primary_need="content", ranking=ranking, rules=RULES) == []


def test_choosing_a_coach_for_direct_answers_names_the_mismatch():
    ranking = recommend.recommend(primary_need="content", answers={"answers": "direct"}, rules=RULES)
    warnings = recommend.mismatch_warnings(chosen="coach", primary_need="content", ranking=ranking, rules=RULES)
    assert warnings[0] == "You named content expertise as your main need, and that points to an advisor, not a coach."
    assert "You want direct answers, but a coach helps you find your own rather than giving them." in warnings
    assert warnings[-1] == "Your answers fit an advisor best (9 points); a coach scored -3."


# -- the rule-set check the admin applies before saving (roles/rules.py) ------------------------

NEEDS = {1: ("Access", True), 2: ("Clarity", True), 3: ("Wisdom", False)}
ROLES = {10: True, 20: True, 30: False}


@pytest.mark.parametrize(
    ("rules", "failing"),
    [
        ({1: [(10, 6)], 2: [(20, 6)], 3: []}, []),  # each published need points to a published role
        ({1: [(10, 6)], 2: [(20, 0)], 3: []}, ["Clarity"]),  # no positive points
        ({1: [(10, 6)], 2: [(30, 6)], 3: []}, ["Clarity"]),  # only an unpublished role
        ({1: [], 2: [], 3: []}, ["Access", "Clarity"]),  # unpublished needs are not asked
        ({1: [(10, -2), (20, 3)], 2: [(20, 1)], 3: []}, []),  # one positive rule is enough
    ],
)
def test_every_published_need_must_recommend_a_published_role(rules, failing):
    from roles.rules import needs_without_a_role

    assert needs_without_a_role(NEEDS, rules, ROLES) == failing


def test_the_refusal_names_the_needs_left_without_a_role():
    from roles.rules import refusal

    message = refusal(["Access", "Clarity"], "Unpublishing Sponsor")
    assert message.startswith("Unpublishing Sponsor would leave Access, Clarity with no role to recommend.")
