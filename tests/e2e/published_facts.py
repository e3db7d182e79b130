#!/usr/bin/python3
"""The published facts the sample report must reproduce
(../shared/reference/published-facts.md), as metric name -> expected value.
A value given as (op, n) is a comparison: business contacts are "over 300"."""

FACTS = {
    "pairings": 20,
    "la_countries": 6,
    "eu_countries": 10,
    "themes": 7,
    "joint_action_plans": 20,
    "agreements": 20,
    "s3_strategies": 15,
    "business_contacts": (">", 300),
    "s3_trainings": 3,
    "respondents": 32,
    "respondents_eu": 17,
    "respondents_la": 15,
    "motivation_business": 3,
    "familiar": 28,
    "familiar_la": 15,
    "vaguely_familiar": 3,
    "unfamiliar": 1,
    "strategy_have_or_plan": 30,
    "edp_top2": 31,
    "monitoring_low": 8,
    "salience_main_or_important": 28,
    "salience_marginal": 2,
    "support_some_or_structured": 20,
    "workshops_mentions": 16,
    "satisfied": 32,
}

REGIONS_LA = {"Argentina": 3, "Brazil": 4, "Chile": 3, "Colombia": 3, "Mexico": 4, "Peru": 3}
REGIONS_EU = {"Spain": 6, "Italy": 3, "Poland": 3, "Slovenia": 2, "Portugal": 1, "Finland": 1,
              "Czechia": 1, "Romania": 1, "Sweden": 1, "Austria": 1}

ANNEX_NAMES = ["Córdoba", "Bielsko-Biała", "Biobío", "O’Higgins", "Tarapacá",
               "Bogotá-Cundinamarca", "Skåne", "Yucatán", "Piura", "San Martín", "Śląskie",
               "Emilia-Romagna", "Salta", "Alentejo", "Colima", "Extremadura", "Lazio",
               "Cioeste", "Ljubljana", "Styria"]


def check(metrics):
    """Returns a list of mismatch messages (empty when every fact holds)."""
    bad = []
    for name, want in FACTS.items():
        if name not in metrics:
            bad.append(f"metric '{name}' missing")
            continue
        got = metrics[name]
        if isinstance(want, tuple):
            if not got > want[1]:
                bad.append(f"{name} = {got}, want > {want[1]}")
        elif got != want:
            bad.append(f"{name} = {got}, want {want}")
    return bad
