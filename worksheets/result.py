"""How the recommendation step explains itself, from a worksheet's stored ranking.

Pure functions over the snapshot (`Worksheet.ranking()`): plain words for how well each role fits
instead of raw scores, the few strongest reasons without near-repeats, and ties said as ties.
The full arithmetic stays available on the page under "How this was worked out".
"""

import re
from difflib import SequenceMatcher

from roles.recommend import with_article

# (level out of 4, words) — level drives the small meter beside the words.
BEST, GOOD, SOME, LITTLE = (4, "Best fit"), (3, "Good fit"), (2, "Some fit"), (1, "Little fit for what you said")


def fit(score: int, top: int) -> tuple[int, str]:
    """How well a role with `score` fits, next to the best score `top`, in words."""
    if score == top and top > 0:
        return BEST
    if score > 0 and score * 10 >= top * 6:
        return GOOD
    if score > 0:
        return SOME
    return LITTLE


def _gist(text: str) -> str:
    """The first clause, lower case, letters only: "You need doors opened, and …" -> "you need doors opened"."""
    first = re.split(r"[,.;:]", text, maxsplit=1)[0]
    return " ".join(re.findall(r"[a-z']+", first.lower()))


def _repeats(text: str, kept: list[str]) -> bool:
    gist = _gist(text)
    return any(gist == _gist(k) or SequenceMatcher(None, text.lower(), k.lower()).ratio() > 0.8 for k in kept)


def strongest_reasons(reasons: list[dict], limit: int = 3) -> list[str]:
    """The reasons that added the most points, strongest first, each saying something new."""
    kept: list[str] = []
    for reason in sorted(reasons, key=lambda r: -r["points"]):
        if reason["points"] <= 0 or _repeats(reason["text"], kept):
            continue
        kept.append(reason["text"])
        if len(kept) == limit:
            break
    return kept


def _names(entries: list[dict]) -> str:
    names = [e["name"].lower() for e in entries]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def tie_note(ranking: list[dict], primary_need: str = "") -> str:
    """When the top roles have the same points: say so, and say why the first one is shown first."""
    if len(ranking) < 2 or ranking[0]["score"] != ranking[1]["score"]:
        return ""
    top = ranking[0]
    tied = [e for e in ranking if e["score"] == top["score"]]
    others = tied[1:]
    if all("main_need_points" in e for e in tied):
        if all(top["main_need_points"] > e["main_need_points"] for e in others):
            need = f", {primary_need.lower()}," if primary_need else ""
            why = f"your main need{need} points to {with_article(top['name'])} most"
        else:
            why = "it comes first in the guide's order of roles, which settles a tie the main need does not"
    else:
        why = "ties go to the role your main need points to, then to the guide's order of roles"
    points = f"{top['score']} point{'' if abs(top['score']) == 1 else 's'}"
    return (
        f"A tie: {_names(tied)} have {points} each. {top['name']} is shown first because {why}. "
        f"Either would suit what you said; choose the one that feels right."
    )


def role_cards(ranking: list[dict]) -> list[dict]:
    """Every role in ranked order, with its fit in words and the best first."""
    if not ranking:
        return []
    top = ranking[0]["score"]
    cards = []
    for i, entry in enumerate(ranking):
        level, words = fit(entry["score"], top)
        if i > 0 and level == BEST[0]:
            words = "Tied for best fit"
        cards.append({"entry": entry, "level": level, "fit": words, "best": i == 0})
    return cards
