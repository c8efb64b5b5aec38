import datetime

from django import forms
from django.utils import timezone

from devboard.dates import SaneDates
from devboard.forms import DATE_HINT, DayField, DayInput, limit_lengths
from roles.models import Need, Role

from .models import Worksheet


def state_limits(form: forms.BaseForm) -> None:
    """Say each text field's length limit up front, and name it again if it is passed.

    The page's character counter replaces the browser's maxlength, which would cut pasted text silently.
    """
    for field in form.fields.values():
        limit = getattr(field, "max_length", None)
        if not limit or not isinstance(field, forms.CharField) or isinstance(field, forms.EmailField):
            continue
        stated = f"Up to {limit:,} characters."
        if stated not in (field.help_text or ""):
            field.help_text = f"{field.help_text} {stated}".strip()
    limit_lengths(form)


class LimitsStated:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        state_limits(self)


class RequiredWithMessages:
    """Fields the model leaves blank for drafts, required on their step, each with its own message."""

    required_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.required_messages.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message


class ProblemForm(LimitsStated, RequiredWithMessages, forms.ModelForm):
    required_messages = {"problem": "Write down the problem first: a sentence or two is enough."}

    class Meta:
        model = Worksheet
        fields = ["problem", "title"]
        labels = {"problem": "What is the problem?", "title": "A short title (optional)"}
        help_texts = {
            "problem": "Describe the situation in a few sentences, as you would to a trusted colleague.",
            "title": "For your list of worksheets. Left empty, the first words of the problem are used.",
        }
        widgets = {"problem": forms.Textarea(attrs={"rows": 6})}


class OutcomeForm(LimitsStated, RequiredWithMessages, forms.ModelForm):
    required_messages = {"ideal_outcome": "Describe the outcome you hope for."}

    class Meta:
        model = Worksheet
        fields = ["ideal_outcome"]
        labels = {"ideal_outcome": "What would the ideal outcome be?"}
        help_texts = {"ideal_outcome": "Picture the problem solved. What is different, and by when?"}
        widgets = {"ideal_outcome": forms.Textarea(attrs={"rows": 5})}


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, need):
        return f"{need.name}: {need.summary}"


class NeedForm(forms.ModelForm):
    primary_need = NeedChoiceField(
        queryset=Need.objects.published(),
        widget=forms.RadioSelect,
        label="What do you need most?",
        help_text="Pick the one need that matters most for this problem.",
        error_messages={
            "required": "Choose the need that matters most.",
            "invalid_choice": "That need is not one of the choices; choose one from the list.",
        },
    )
    other_needs = forms.ModelMultipleChoiceField(
        queryset=Need.objects.published(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Anything else you need? (optional)",
        error_messages={
            "invalid_choice": "One of those needs is not on the list.",
            "invalid_pk_value": "One of those needs is not on the list.",
        },
    )

    class Meta:
        model = Worksheet
        fields = ["primary_need", "other_needs"]

    def clean(self):
        cleaned = super().clean()
        primary, others = cleaned.get("primary_need"), cleaned.get("other_needs")
        if primary is not None and others is not None:
            cleaned["other_needs"] = [n for n in others if n.pk != primary.pk]
        return cleaned


class RefineForm(forms.Form):
    """One radio group per published refining question; answers are stored by slug."""

    def __init__(self, *args, questions, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.slug] = forms.ChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=[(o.slug, o.label) for o in question.options.all()],
                widget=forms.RadioSelect,
                required=False,
                initial=(initial_answers or {}).get(question.slug),
                error_messages={"invalid_choice": "That answer is not one of the choices; pick one from the list."},
            )

    def answers(self) -> dict[str, str]:
        return {slug: value for slug, value in self.cleaned_data.items() if value}


class ChoiceForm(forms.ModelForm):
    chosen_role = forms.ModelChoiceField(
        queryset=Role.objects.published(),
        widget=forms.RadioSelect,
        label="It looks like I need a…",
        help_text="The roles are in order of fit, the best first. You may choose another; we will tell you where it "
        "does not fit.",
        error_messages={
            "required": "Choose the kind of helper you will look for.",
            "invalid_choice": "That role is not one of the choices; choose one from the list.",
        },
    )

    class Meta:
        model = Worksheet
        fields = ["chosen_role"]


class QuestionsForm(LimitsStated, forms.ModelForm):
    class Meta:
        model = Worksheet
        fields = ["questions_to_ask"]
        labels = {"questions_to_ask": "Questions to ask a person you consider"}
        help_texts = {
            "questions_to_ask": (
                "One question per line. We started you off with the role's suggested questions; make them yours."
            )
        }
        widgets = {"questions_to_ask": forms.Textarea(attrs={"rows": 8})}


class NextStepForm(LimitsStated, SaneDates, RequiredWithMessages, forms.ModelForm):
    required_messages = {
        "next_step": "Write down one step you will take.",
        "next_step_due": "Give yourself a date for the next step.",
    }

    class Meta:
        model = Worksheet
        fields = ["next_step", "next_step_due"]
        labels = {"next_step": "The next step I will take", "next_step_due": "By when"}
        help_texts = {
            "next_step": "Small and concrete: who you will contact, and how.",
            "next_step_due": f"A date from today on. {DATE_HINT}.",
        }
        widgets = {
            "next_step": forms.Textarea(attrs={"rows": 4}),
            "next_step_due": DayInput(),
        }
        field_classes = {"next_step_due": DayField}

    def clean_next_step_due(self):
        due: datetime.date = self.cleaned_data["next_step_due"]
        if due < timezone.localdate() and due != self.instance.next_step_due:
            raise forms.ValidationError("That date has passed; choose today or a later date.")
        return due
