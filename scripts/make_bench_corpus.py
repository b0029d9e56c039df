#!/usr/bin/env python3
"""Writes bench-corpus.txt: 400 varied English texts of 10 to 60 words, like the seed request.

Deterministic (fixed seed), so every benchmark run measures the same texts. Run it only to
change the corpus; the output is committed.
"""
import os
import random

rng = random.Random(20261127)
names = ["John Doe", "Maria Garcia", "Wei Zhang", "Amara Okafor", "Lena Fischer", "Ravi Patel", "Sofia Rossi",
         "Tom Becker", "Yuki Tanaka", "Carlos Mendes", "Fatima Khan", "Oliver Smith"]
roles = ["Go developer", "data scientist", "nurse", "civil engineer", "teacher", "product manager", "pilot",
         "chef", "lawyer", "journalist", "firefighter", "accountant"]
companies = ["Google", "a small startup in Berlin", "the city hospital", "a logistics company", "the local school",
             "an airline", "a family restaurant", "a national newspaper", "a bank in Zurich", "the fire department"]
subjects = ["The central bank", "A local farmer", "The new processor", "Our hiking group", "The football club",
            "Parliament", "The space agency", "A young violinist", "The research team", "The city council",
            "My neighbour", "The startup", "The museum", "A tropical storm", "The orchestra"]
actions = ["raised interest rates by half a point", "harvested a record crop of apples this autumn",
           "doubles the number of cores of its predecessor", "walked twenty kilometres through the forest",
           "won the championship after a dramatic penalty shootout", "voted on the new immigration law",
           "launched a rocket that reached orbit on the first attempt", "played a concert in a packed hall",
           "published a study on sleep and memory", "approved a budget for new bicycle lanes",
           "adopted two cats from the shelter", "raised ten million euros from investors",
           "opened an exhibition of medieval maps", "forced thousands of people to leave the coast",
           "rehearsed the symphony for three weeks"]
tails = ["", "according to a statement released on Monday", "despite heavy criticism from the opposition",
         "which surprised most observers", "after months of careful preparation",
         "and the results were better than anyone expected", "while the rest of the country watched closely",
         "although several experts warned about the risks involved",
         "and plans to do it again next year with even more ambition"]
opinions = ["I love this phone, the battery lasts forever and the screen is gorgeous.",
            "This was the worst meal I have ever had, cold and far too salty.",
            "The hotel staff were friendly, but the room smelled of smoke and the wifi never worked.",
            "What a wonderful film: the actors, the music and the story all worked perfectly together.",
            "Delivery took three weeks and the box arrived damaged, so I am asking for a refund.",
            "The course was clear, practical and worth every minute I spent on it."]


def person():
    n, r, c, y = rng.choice(names), rng.choice(roles), rng.choice(companies), rng.randint(2, 30)
    first = f"{n} is a {r} at {c}."
    second = rng.choice([f" He has been working there for {y} years and has been awarded employee of the year.",
                         f" She has been working there for {y} years and leads a team of {rng.randint(3, 40)} people.",
                         f" They joined {y} years ago and still enjoy the work every single day.", ""])
    return first + second


def news():
    parts = [f"{rng.choice(subjects)} {rng.choice(actions)}"]
    tail = rng.choice(tails)
    if tail:
        parts.append(", " + tail)
    text = "".join(parts) + "."
    if rng.random() < 0.5:
        text += f" {rng.choice(subjects)} {rng.choice(actions)}."
    return text


def review():
    return " ".join(rng.sample(opinions, rng.randint(1, 3)))


texts = []
while len(texts) < 400:
    t = rng.choice([person, news, review])()
    if 10 <= len(t.split()) <= 60 and t not in texts:
        texts.append(t)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench-corpus.txt"), "w") as f:
    f.write("\n".join(texts) + "\n")
words = [len(t.split()) for t in texts]
print(f"{len(texts)} texts, {min(words)}-{max(words)} words, mean {sum(words) / len(words):.1f}")
