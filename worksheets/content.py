"""The completed example worksheets devboard ships with, in our own words."""

EXAMPLES = [
    {
        "slug": "resident-rotation-feedback",
        "title": "Doing better on the ICU rotation",
        "audience": "learner",
        "order": 1,
        "person": "A first-year internal medicine resident",
        "problem": (
            "My end-of-rotation evaluation from the medical ICU said my presentations were "
            "disorganised and I was slow to commit to a plan. I go back to the ICU in three months "
            "and I do not want the same feedback again."
        ),
        "ideal_outcome": (
            "On my next ICU block, attendings describe my presentations as clear and I propose a "
            "plan for every patient before I am asked."
        ),
        "primary_need": "content",
        "other_needs": [],
        "role": "advisor",
        "reasoning": (
            "This is a concrete question with known answers: what strong interns do on this "
            "rotation. I had been meeting a faculty coach who kept asking what I thought I should "
            "change, and I came away frustrated because I did not know. An advisor who has done "
            "the rotation well can simply show me. A senior resident fits."
        ),
        "questions_to_ask": (
            "What does a strong ICU presentation sound like, in order?\n"
            "How did you prepare the night before a call day?\n"
            "Could you listen to one of my presentations and tell me what to cut?\n"
            "Which attendings are known for teaching presentations well?"
        ),
        "next_step": (
            "Ask Dr. Patel, a PGY-3 who was praised on the same rotation, for thirty minutes next "
            "week and bring two of my written presentations."
        ),
    },
    {
        "slug": "faculty-finding-a-niche",
        "title": "Finding a niche that means something",
        "audience": "faculty",
        "order": 2,
        "person": "A new assistant professor of pediatrics",
        "problem": (
            "In my first year on faculty I said yes to everything: two committees, a clerkship "
            "lecture series, a QI project and a case report. I feel overwhelmed and I cannot tell "
            "which of these could grow into something I would be known for."
        ),
        "ideal_outcome": (
            "By the end of the academic year I have chosen one area to build, stepped back from "
            "at least two commitments, and can explain my focus in a sentence."
        ),
        "primary_need": "clarity",
        "other_needs": ["wisdom"],
        "role": "coach",
        "reasoning": (
            "Nobody else can tell me what will feel meaningful; the answer has to be mine. I need "
            "a structured space to sort my priorities and commit to a goal, which is what a coach "
            "gives. Later, once I have a focus, a mentor in that area will help me build it."
        ),
        "questions_to_ask": (
            "How do you help people reflect and set priorities?\n"
            "How many sessions do people usually need for a question like mine?\n"
            "How do you help someone say no to commitments they have already made?"
        ),
        "next_step": (
            "Email the faculty development office this week to ask for a coach from the faculty "
            "coaching program, and list my current commitments before the first session."
        ),
    },
]


def load(apps) -> None:
    Example = apps.get_model("worksheets", "Example")
    Need = apps.get_model("roles", "Need")
    Role = apps.get_model("roles", "Role")
    for data in EXAMPLES:
        fields = dict(data)
        other_needs = fields.pop("other_needs")
        fields["primary_need"] = Need.objects.get(slug=fields["primary_need"])
        fields["role"] = Role.objects.get(slug=fields["role"])
        example, _ = Example.objects.update_or_create(slug=data["slug"], defaults=fields)
        example.other_needs.set(Need.objects.filter(slug__in=other_needs))
