"""The guidance devboard ships with: roles, needs, refining questions and rules.

Loaded once by a data migration; from then on program directors own it in the
admin. Written for devboard, in our own words.
"""

ROLES = [
    {
        "slug": "mentor",
        "name": "Mentor",
        "order": 1,
        "tagline": "Someone further along a path like yours who cares how your career turns out.",
        "ideal_use": (
            "When you face a question that has no single right answer and you want the perspective "
            "of someone who has walked a similar road: shaping a career over years, weighing one "
            "path against another, learning the unwritten rules of academic medicine."
        ),
        "style": "Directive and personal; long-term; built on shared experience",
        "sayings": (
            "When I was at your stage, this is what I wish I had known.\n"
            "I made that choice once; here is how it played out for me.\n"
            "Let's look at where you want to be in five years and work back from there."
        ),
        "pitfall": (
            "A mentor's advice comes from their own path, which may be a generation old or simply "
            "different from yours. What worked for them may not fit your circumstances, identity or "
            "goals, and a close bond can make it hard to disagree."
        ),
        "learner_example": (
            "A second-year resident deciding between a fellowship and a hospitalist job meets "
            "regularly with an attending who made the same choice a decade ago."
        ),
        "faculty_example": (
            "An assistant professor planning the road to promotion talks every few months with a "
            "senior colleague in the department who has sat on the promotions committee."
        ),
        "suggested_questions": (
            "How did you get from where I am to where you are now?\n"
            "How often could we meet, and how do you like to be contacted between meetings?\n"
            "What would you expect me to bring to each conversation?\n"
            "When have you told someone you mentor that they were heading the wrong way?"
        ),
    },
    {
        "slug": "sponsor",
        "name": "Sponsor",
        "order": 2,
        "tagline": "Someone with standing who spends it on you: vouches, introduces, nominates.",
        "ideal_use": (
            "When what stands between you and your goal is access: a role, a committee seat, a "
            "speaking slot, a grant team or a job that is only reached through someone who can put "
            "your name forward and be believed."
        ),
        "style": "Uses position and influence; acts on your behalf, often when you are not in the room",
        "sayings": (
            "I'll introduce you to the chair of that committee.\n"
            "I put your name forward for the grand rounds slot.\n"
            "Send me your CV; I know who is hiring."
        ),
        "pitfall": (
            "A sponsor's help can come with their own agenda: the opportunity may serve their "
            "priorities more than yours, and owing a powerful person can narrow your choices. "
            "Sponsorship also depends on their standing, which can change."
        ),
        "learner_example": (
            "A chief resident who wants a competitive fellowship asks the program director to call "
            "a colleague at the fellowship program on their behalf."
        ),
        "faculty_example": (
            "A junior faculty member hoping to lead a quality improvement project asks the vice "
            "chair to nominate them for the hospital committee that funds such work."
        ),
        "suggested_questions": (
            "Which opportunities do you see that would fit what I am trying to do?\n"
            "What would you need to see from me before you put my name forward?\n"
            "Who else should know my work, and would you introduce me?\n"
            "How will I know what you have said about me?"
        ),
    },
    {
        "slug": "coach",
        "name": "Coach",
        "order": 3,
        "tagline": "A thinking partner who helps you see the problem clearly and commit to your own next step.",
        "ideal_use": (
            "When the answer has to come from you: sorting competing priorities, finding what "
            "matters most, setting a goal and holding yourself to it. A coach does not need to know "
            "your field; they need to know how to ask good questions."
        ),
        "style": "Nondirective; a partnership of equals; bounded by a goal",
        "sayings": (
            "What would your next step be?\n"
            "If that worked out perfectly, what would be different?\n"
            "What is getting in the way, and what is within your control?"
        ),
        "pitfall": (
            "Coaching takes time and effort. When a problem simply needs an answer, being asked "
            "questions can feel slow or frustrating, and a coach cannot supply expertise they do "
            "not have."
        ),
        "learner_example": (
            "A resident who feels pulled between research, teaching and clinical work meets a "
            "coach for six sessions to decide what to focus on this year."
        ),
        "faculty_example": (
            "A new junior faculty member who feels overwhelmed and wants a niche that means "
            "something to them works with a coach to sort their options and choose one."
        ),
        "suggested_questions": (
            "How do you help people reflect and set priorities?\n"
            "What does a typical session with you look like?\n"
            "How will we know when the coaching has done its job?\n"
            "What will you expect of me between sessions?"
        ),
    },
    {
        "slug": "advisor",
        "name": "Advisor",
        "order": 4,
        "tagline": "Someone with the know-how you lack who tells you what they would do.",
        "ideal_use": (
            "When you have a concrete question with a technical answer: how to structure a grant "
            "aim, how to read a promotion dossier, how to do better on a particular rotation. The "
            "relationship can be short and targeted."
        ),
        "style": "Directive; focused on content; targeted to a specific question",
        "sayings": (
            "Here is what I would do.\n"
            "Cut this section in half and lead with your main finding.\n"
            "On that rotation, arrive with your patients pre-rounded and a plan for each."
        ),
        "pitfall": (
            "An advisor answers the question asked. If the real problem needs your own judgement "
            "or values, direct instructions can be too prescriptive, and following them may not "
            "make the choice yours."
        ),
        "learner_example": (
            "An intern who received middling feedback on the ICU rotation asks a senior resident "
            "exactly what strong interns do differently there."
        ),
        "faculty_example": (
            "A faculty member writing a first K award asks a funded investigator to review the "
            "specific aims page and say what to change."
        ),
        "suggested_questions": (
            "What have you seen work for this exact kind of problem?\n"
            "Could you look at my draft and tell me what you would change?\n"
            "What mistakes do people usually make here?\n"
            "Who else should I ask about this?"
        ),
    },
]

NEEDS = [
    {
        "slug": "access",
        "name": "Access",
        "order": 1,
        "summary": "Opportunities, introductions, someone to vouch for me",
        "explanation": (
            "You know what you want, and you could do it, but the door is closed to you. You need "
            "someone with standing to introduce you, recommend you or put your name forward."
        ),
        "sounds_like": "If only the right person knew about my work.",
    },
    {
        "slug": "clarity",
        "name": "Clarity",
        "order": 2,
        "summary": "A structured space to reflect, sort priorities and set goals",
        "explanation": (
            "You are not sure what you want, or you want too many things at once. You need time "
            "and good questions to sort out what matters to you and decide on a next step."
        ),
        "sounds_like": "I'm busy all the time but I can't tell if it is taking me anywhere.",
    },
    {
        "slug": "content",
        "name": "Content expertise",
        "order": 3,
        "summary": "Targeted, direct know-how for a concrete question",
        "explanation": (
            "You have a specific question that someone with the right experience could answer. "
            "You need their knowledge, and you would welcome being told what to do."
        ),
        "sounds_like": "I just need someone who knows how this works to tell me.",
    },
    {
        "slug": "wisdom",
        "name": "Wisdom",
        "order": 4,
        "summary": "Perspective from someone further along who cares about my path",
        "explanation": (
            "You face a long road or a choice with no technical answer. You need the perspective "
            "of someone who has been where you are and is invested in how things turn out for you."
        ),
        "sounds_like": "I wonder how people who have done this before thought about it.",
    },
]

# need -> [(role, primary points, secondary points, reason)]
NEED_RULES = {
    "access": [
        ("sponsor", 6, 3, "You need doors opened, and opening doors is what a sponsor does."),
        ("mentor", 2, 1, "A mentor sometimes makes introductions too, though it is not their main work."),
    ],
    "clarity": [
        ("coach", 6, 3, "You need room to think and set your own priorities, which is a coach's work."),
        ("mentor", 2, 1, "A mentor can also help you reflect, from the angle of their own path."),
    ],
    "content": [
        ("advisor", 6, 3, "You need specific know-how, and an advisor gives it directly."),
        ("mentor", 1, 1, "A mentor in your field may know the answer as well."),
    ],
    "wisdom": [
        ("mentor", 6, 3, "You want perspective from someone further along who cares about your path: a mentor."),
        ("advisor", 1, 0, "An advisor can share experience, but for a narrower question."),
    ],
}

QUESTIONS = [
    {
        "slug": "answers",
        "text": "Do you want direct answers, or help thinking it through?",
        "help_text": "Some problems need to be told; others need to be talked through until you see your own way.",
        "order": 1,
        "options": [
            (
                "direct",
                "Direct answers: tell me what to do",
                [
                    ("advisor", 3, "You want direct answers, and an advisor gives them."),
                    ("mentor", 1, "A mentor will tell you what they would do, too."),
                    (
                        "coach",
                        -3,
                        "You want direct answers, but a coach helps you find your own rather than giving them.",
                    ),
                ],
            ),
            (
                "think",
                "Help thinking it through",
                [
                    ("coach", 3, "You want help thinking it through, which is how a coach works."),
                    ("mentor", 1, "A mentor can think it through with you as well."),
                    ("advisor", -2, "You want to think it through, but an advisor tends to hand you an answer."),
                ],
            ),
            ("unsure", "I'm not sure yet", []),
        ],
    },
    {
        "slug": "horizon",
        "text": "Is this one decision or a long path?",
        "help_text": "A single question can be settled in a meeting or two; a career direction takes years.",
        "order": 2,
        "options": [
            (
                "one",
                "One decision or question",
                [
                    ("advisor", 2, "It is one question, which suits a short, targeted advisory relationship."),
                    ("coach", 1, "Coaching works well toward one goal with an end in sight."),
                    (
                        "mentor",
                        -1,
                        "It is one question, and mentoring is a long relationship; it may be more than you need.",
                    ),
                ],
            ),
            (
                "long",
                "A long path",
                [
                    ("mentor", 3, "It is a long path, and a mentor stays with you over years."),
                    ("sponsor", 1, "A sponsor's support also builds over time."),
                    ("advisor", -1, "It is a long path, but an advisor usually helps with one question at a time."),
                ],
            ),
        ],
    },
    {
        "slug": "doors",
        "text": "Do you need doors opened for you?",
        "help_text": "Introductions, nominations, someone to vouch for you where you are not yet known.",
        "order": 3,
        "options": [
            (
                "yes",
                "Yes, I need someone to open doors",
                [
                    ("sponsor", 3, "You need doors opened, and a sponsor puts your name forward."),
                    ("mentor", 1, "A mentor may open some doors along the way."),
                ],
            ),
            (
                "no",
                "No, not for this",
                [
                    ("sponsor", -2, "You do not need doors opened, which is the main thing a sponsor offers."),
                ],
            ),
        ],
    },
    {
        "slug": "field",
        "text": "Must this person know your field?",
        "help_text": "Some help depends on specialist knowledge; some works just as well from outside.",
        "order": 4,
        "options": [
            (
                "yes",
                "Yes, they must know my field",
                [
                    ("advisor", 1, "You need someone who knows your field, as an advisor does."),
                    ("mentor", 1, "A mentor usually comes from your field."),
                    (
                        "coach",
                        -1,
                        "You want someone from your field, and a coach often is not; their skill is in the questions.",
                    ),
                ],
            ),
            (
                "no",
                "Not necessarily",
                [
                    ("coach", 1, "Field knowledge is not essential, so a coach from anywhere can help."),
                ],
            ),
        ],
    },
]


def load(apps) -> None:
    """Create the shipped guidance with the models of `apps` (a migration's registry)."""
    Role = apps.get_model("roles", "Role")
    Need = apps.get_model("roles", "Need")
    NeedRule = apps.get_model("roles", "NeedRule")
    RefiningQuestion = apps.get_model("roles", "RefiningQuestion")
    AnswerOption = apps.get_model("roles", "AnswerOption")
    AnswerRule = apps.get_model("roles", "AnswerRule")

    roles = {}
    for data in ROLES:
        roles[data["slug"]], _ = Role.objects.update_or_create(slug=data["slug"], defaults=data)
    needs = {}
    for data in NEEDS:
        needs[data["slug"]], _ = Need.objects.update_or_create(slug=data["slug"], defaults=data)
    for need, rules in NEED_RULES.items():
        for role, primary, secondary, reason in rules:
            NeedRule.objects.update_or_create(
                need=needs[need],
                role=roles[role],
                defaults={"primary_points": primary, "secondary_points": secondary, "reason": reason},
            )
    for data in QUESTIONS:
        fields = {k: v for k, v in data.items() if k != "options"}
        question, _ = RefiningQuestion.objects.update_or_create(slug=data["slug"], defaults=fields)
        for order, (slug, label, rules) in enumerate(data["options"], start=1):
            option, _ = AnswerOption.objects.update_or_create(
                question=question, slug=slug, defaults={"label": label, "order": order}
            )
            for role, points, reason in rules:
                AnswerRule.objects.update_or_create(
                    option=option, role=roles[role], defaults={"points": points, "reason": reason}
                )


def record_baseline(apps, app_label: str, model_names: list[str]) -> None:
    """Give content loaded by a data migration its first history record.

    Data migrations bypass simple-history's signals; without a baseline, the
    first edit a director makes would have no "before" to show.
    """
    from django.utils import timezone

    now = timezone.now()
    for name in model_names:
        model = apps.get_model(app_label, name)
        history = apps.get_model(app_label, f"Historical{name}")
        recorded = set(history.objects.values_list("id", flat=True).distinct())
        history.objects.bulk_create(
            [
                history(
                    **{f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields},
                    history_date=now,
                    history_type="+",
                    history_change_reason="Shipped with devboard",
                )
                for obj in model.objects.exclude(pk__in=recorded)
            ]
        )
