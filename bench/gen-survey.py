#!/usr/bin/env python3
"""Writes a synthetic survey CSV with the columns of config/iuc-lac-2019/survey.csv.

    bench/gen-survey.py [-n ROWS] [--seed S] OUT.csv

Default 1,000,000 rows (about 150 MB). Values use the codes declared in
config/iuc-lac-2019.ini, so the bench INI (made by csv-throughput.sh from the
sample's sections) reads the file without warnings. A few cells exercise the
reader: quoted region names with commas and doubled quotes, accented names,
CRLF line ends on some rows, and missing values ("NA" and empty cells).
Standard library only; the output is the same for the same seed.
"""
import argparse
import random
import sys

COLUMNS = [
    "respondent_id", "continent", "country", "region", "organisation", "pairing_id",
    "motivation", "familiarity", "strategy", "rel_edp", "rel_governance", "rel_vision",
    "rel_priorities", "rel_policy_mix", "rel_monitoring", "rel_cooperation", "salience",
    "support_overall", "sup_edp", "sup_governance", "sup_vision", "sup_priorities",
    "sup_policy_mix", "sup_monitoring", "exchange", "outcomes", "satisfaction",
]

REGIONS = {
    "AR": ["Córdoba", "Salta", "Tierra del Fuego"],
    "BR": ["Cioeste", "Paraná", "Federal District", "Minas Gerais"],
    "CL": ["Biobío", "O’Higgins", "Tarapacá"],
    "CO": ["Bogotá-Cundinamarca", "\"Aburrá Valley, Antioquia\"", "Caldas"],
    "MX": ["Yucatán", "Colima", "Jalisco", "Chihuahua"],
    "PE": ["Piura", "San Martín", "Arequipa"],
    "ES": ["Extremadura", "Valencia", "Castilla y León", "Basque Country", "Asturias",
           "\"Murcia, Region of\""],
    "IT": ["Lazio", "Molise", "Emilia-Romagna"],
    "PL": ["Bielsko-Biała", "Śląskie", "\"Lower Silesia (\"\"Dolnośląskie\"\")\""],
    "SI": ["Ljubljana", "Podravje"],
    "PT": ["Alentejo"],
    "FI": ["Ostrobothnia"],
    "CZ": ["South Bohemia"],
    "RO": ["North-East"],
    "SE": ["Skåne"],
    "AT": ["Styria"],
}
LA = ["AR", "BR", "CL", "CO", "MX", "PE"]
EU = ["ES", "IT", "PL", "SI", "PT", "FI", "CZ", "RO", "SE", "AT"]
ORGS = ["regional_admin"] * 6 + ["public_foundation", "business", "research", "civil_society"]
MOTIVATION = ["sharing", "sharing", "partners", "partners", "business"]
FAMILIARITY = ["very", "very", "broadly", "broadly", "broadly", "vaguely", "none"]
STRATEGY = ["has", "has", "has", "planned", "no"]
SALIENCE = ["main", "main", "main", "important", "marginal", "not_addressed"]
EXCHANGE = ["meetings", "virtual", "workshops", "trainings", "peer_learning"]
OUTCOMES = ["priorities", "action_plans", "pilots", "business", "swot", "benchmarking",
            "investment"]


def likert(rnd, hi, skew):
    """An answer 1..hi leaning to the top; sometimes missing."""
    r = rnd.random()
    if r < 0.01:
        return "NA"
    if r < 0.02:
        return ""
    v = hi - int(rnd.random() ** skew * hi)
    return str(max(1, v))


def row(rnd, i):
    la = rnd.random() < 0.47
    country = rnd.choice(LA if la else EU)
    ex = rnd.sample(EXCHANGE, rnd.randint(1, 4))
    out = rnd.sample(OUTCOMES, rnd.randint(0, 5))
    rel = [likert(rnd, 5, 2.5) for _ in range(7)]
    sup = [likert(rnd, 4, 1.5) for _ in range(7)]
    return [
        "R%07d" % i,
        "LA" if la else "EU",
        country,
        rnd.choice(REGIONS[country]),
        rnd.choice(ORGS),
        "P%02d" % rnd.randint(1, 20),
        rnd.choice(MOTIVATION),
        rnd.choice(FAMILIARITY),
        rnd.choice(STRATEGY) if rnd.random() > 0.01 else "n/a",
        *rel,
        rnd.choice(SALIENCE),
        *sup,
        ";".join(ex),
        ";".join(out),
        likert(rnd, 5, 3.0),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("out")
    a = ap.parse_args()
    if a.rows < 0:
        ap.error("--rows must be >= 0")
    rnd = random.Random(a.seed)
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(COLUMNS) + "\n")
        chunk = []
        for i in range(1, a.rows + 1):
            end = "\r\n" if i % 97 == 0 else "\n"
            chunk.append(",".join(row(rnd, i)) + end)
            if len(chunk) == 10000:
                f.write("".join(chunk))
                chunk.clear()
        f.write("".join(chunk))
    return 0


if __name__ == "__main__":
    sys.exit(main())
