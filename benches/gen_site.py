#!/usr/bin/env python3
"""Writes a deterministic cxmap site of N journeys for benchmarks.

    python3 benches/gen_site.py OUT_DIR [--journeys 1000] [--personas 24] [--seed 7]

Every journey has 6 stages of 4 steps (action, touchpoint, channel, emotion, thought,
pains, opportunities, backstage), persona references, tags and a Markdown body; the
same arguments always write the same bytes. OUT_DIR must not exist or be empty.
"""

import argparse
import os
import random
import sys

DOMAINS = ["retail", "banking", "health", "telecom", "travel", "insurance", "energy", "public"]
STAGES = [
    ("Awareness", "Before"),
    ("Consideration", "Before"),
    ("Purchase", "During"),
    ("Onboarding", "During"),
    ("Use", "After"),
    ("Support", "After"),
]
VERBS = ["Searches for", "Compares", "Reads about", "Asks a friend about", "Signs up for",
         "Pays for", "Calls about", "Chats about", "Waits for", "Receives", "Sets up",
         "Complains about", "Renews", "Cancels", "Reviews", "Shares"]
OBJECTS = ["the monthly plan", "a replacement card", "the delivery slot", "an appointment",
           "the invoice", "a refund", "the mobile app", "a loyalty offer", "the contract",
           "the user guide", "a home visit", "the price list", "a support ticket",
           "the account settings", "a parcel", "the booking"]
TOUCHPOINTS = ["Website", "Mobile app", "Call centre", "Shop counter", "Email", "Letter",
               "Chatbot", "Social media", "Partner store", "Self-service kiosk"]
CHANNELS = ["web", "app", "phone", "store", "email", "chat", "social", "mail"]
THOUGHTS = ["Why is this so slow?", "That was easier than I expected.",
            "I hope I picked the right option.", "Nobody told me about this fee.",
            "Finally, something that just works.", "Do I really need all of this?",
            "I will have to explain it again.", "Nice, they remembered me."]
PAINS = ["The form loses what I typed when I go back", "Prices differ between pages",
         "The hold music loops for twenty minutes", "The confirmation email never arrives",
         "Terms are written in legal jargon", "The app logs me out every day",
         "Delivery windows are too wide", "I cannot find the cancel button"]
OPPS = ["Save drafts of the form", "One price everywhere", "Offer a call-back",
        "Send a text as well as an email", "Plain-language summary of the terms",
        "Remember the device for 30 days", "Two-hour delivery windows",
        "A visible cancel link in the account"]
OWNERS = ["Web team", "Service design", "Operations", "Contact centre", "Legal", "Logistics"]
FIRST = ["María", "Jordi", "Aisha", "Tomás", "Chen", "Fatima", "Lucas", "Priya", "Olga",
         "Kwame", "Sofia", "Mateo", "Yuki", "Nadia", "Pau", "Elena"]
LAST = ["Puig", "Garcia", "Okafor", "Rossi", "Nguyen", "Silva", "Kowalski", "Haddad"]
ROLES = ["Freelance designer", "Retired teacher", "Student nurse", "Small shop owner",
         "Commuting engineer", "Parent of three", "Night-shift driver", "Remote developer"]
TAGS = ["b2c", "b2b", "digital", "omnichannel", "accessibility", "loyalty", "onboarding",
        "churn", "self-service", "field"]


def q(text):
    """A TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def persona(rng, i):
    name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
    slug = f"persona-{i:02d}"
    text = f"""+++
name = {q(name)}
role = {q(rng.choice(ROLES))}
quote = {q(rng.choice(THOUGHTS))}
goals = [{q("Get things done without calling anyone")}, {q("Keep costs predictable")}]
needs = [{q("Clear next steps")}]
frustrations = [{q(rng.choice(PAINS))}]
motivations = [{q("Time with family")}]
channels = [{q(rng.choice(CHANNELS))}, {q(rng.choice(CHANNELS))}]
+++

{name} is one of the people we interviewed in the last research round. They use
several channels in a week and switch between them when one fails.
"""
    return slug, text


def journey(rng, i, personas):
    domain = DOMAINS[i % len(DOMAINS)]
    verb, obj = rng.choice(VERBS), rng.choice(OBJECTS)
    title = f"{verb} {obj} ({domain} {i:04d})"
    who = sorted(rng.sample(personas, 2))
    tags = sorted(rng.sample(TAGS, 2))
    lines = [
        "+++",
        f"title = {q(title)}",
        f"personas = [{', '.join(q(p) for p in who)}]",
        f"summary = {q('How a customer gets from the first question to a settled outcome.')}",
        f"owner = {q(rng.choice(OWNERS))}",
        'status = "validated"',
        f"tags = [{', '.join(q(t) for t in tags)}]",
        "",
    ]
    for name, phase in STAGES:
        lines += [
            "[[stages]]",
            f"name = {q(name)}",
            f"phase = {q(phase)}",
            f"goal = {q('Move on without having to ask for help')}",
            "",
        ]
        for s in range(4):
            lines += [
                "  [[stages.steps]]",
                f"  action = {q(rng.choice(VERBS) + ' ' + rng.choice(OBJECTS))}",
                f"  touchpoint = {q(rng.choice(TOUCHPOINTS))}",
                f"  channel = {q(rng.choice(CHANNELS))}",
                f"  emotion = {rng.randint(1, 5)}",
                f"  thought = {q(rng.choice(THOUGHTS))}",
            ]
            if rng.random() < 0.5:
                sev = rng.choice(["low", "medium", "high", "critical"])
                lines.append(f"  pains = [{{ text = {q(rng.choice(PAINS))}, severity = {q(sev)} }}]")
            if rng.random() < 0.35:
                pri = rng.choice(["low", "medium", "high"])
                lines.append(
                    f"  opportunities = [{{ text = {q(rng.choice(OPPS))}, owner = {q(rng.choice(OWNERS))}, priority = {q(pri)} }}]"
                )
            if s == 0:
                lines.append(f"  backstage = [{q('CRM updates the case')}]")
            lines.append("")
    lines += [
        "+++",
        "",
        "This journey was mapped from eight interviews and two weeks of support tickets.",
        "",
        "## What we learned",
        "",
        "Customers expect one answer in every channel. Most frustration comes from having",
        "to repeat information the company already has.",
        "",
    ]
    return domain, f"journey-{i:04d}", "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--journeys", type=int, default=1000)
    ap.add_argument("--personas", type=int, default=24)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit(f"{args.out} is not empty")
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "personas"), exist_ok=True)
    with open(os.path.join(args.out, "cxmap.toml"), "w", encoding="utf-8") as f:
        f.write('title = "Benchmark Atlas"\ndescription = "A generated site for benchmarks"\n\n')
        for c in CHANNELS:
            f.write(f"[channels.{c}]\nlabel = {q(c.capitalize())}\n\n")
    slugs = []
    for i in range(args.personas):
        slug, text = persona(rng, i)
        slugs.append(slug)
        with open(os.path.join(args.out, "personas", slug + ".md"), "w", encoding="utf-8") as f:
            f.write(text)
    for i in range(args.journeys):
        domain, slug, text = journey(rng, i, slugs)
        folder = os.path.join(args.out, "journeys", domain)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, slug + ".md"), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
