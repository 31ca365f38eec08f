"""Kialo discussion exports of any size with the shape of real ones (seeded): a thesis, deep
and bushy branches of pros and cons with long texts, and "-> See" links to claims elsewhere
in the discussion (about one in seven claims, as in the 839-claim export the issue names)."""

import random

WORDS = ("the city would lose trade if cars were banned from its centre while air quality and safety "
         "improve for people who walk or cycle but deliveries and disabled access need a plan and "
         "studies from other places disagree on how much").split()


def sentence(rng: random.Random, low: int = 12, high: int = 60) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def kialo_text(n: int, seed: int = 1, links: float = 0.15) -> str:
    """About ``n`` claims (links not counted) as Kialo's text export writes them."""
    rng = random.Random(seed)
    lines = ["Discussion Title: Should cities ban cars from their centres?", "", "1. " + sentence(rng)]
    numbers = ["1"]
    children: dict[str, int] = {"1": 0}
    made = 1
    while made < n:
        # bushy near the top (the early claims are picked most), deep further down (a recent one)
        pick = rng.random() ** 2.5 if rng.random() < 0.6 else 1 - rng.random() ** 3
        parent = numbers[min(len(numbers) - 1, int(len(numbers) * pick))]
        if parent.count(".") >= 12:
            continue
        children[parent] += 1
        number = f"{parent}.{children[parent]}"
        stance = "Pro" if rng.random() < 0.5 else "Con"
        if made > 20 and rng.random() < links:
            target = rng.choice(numbers[1:])
            if not (target + ".").startswith(number + ".") and not (number + ".").startswith(target + "."):
                lines.append(f"{number}. {stance}: -> See {target}.")
                continue
        lines.append(f"{number}. {stance}: {sentence(rng)}")
        numbers.append(number)
        children[number] = 0
        made += 1
    return "\n".join(lines) + "\n"
