"""Human-readable account of decisions, for the future `facturier tax explain` command."""

from __future__ import annotations

from facturier.tax.model import LineTaxDecision, OrderTaxDecision


def _line(d: LineTaxDecision) -> list[str]:
    where = d.country + (f"/{d.territory}" if d.territory else "")
    out = [
        f"Line {d.line_id}: {where} category {d.category.value} rate {d.rate} % "
        f"- rule {d.rule_id} ({d.legal_reference})"
    ]
    if d.vatex_code or d.exemption_reason_en:
        out.append(
            f"  exemption: {d.vatex_code or '-'} | fr: {d.exemption_reason_fr} "
            f"| en: {d.exemption_reason_en}"
        )
    if d.oss_scheme:
        out.append(f"  scheme: OSS {d.oss_scheme}")
    if d.mirrored_from_invoice:
        out.append("  mirrored from the original invoice (credit note)")
    out.extend(f"  - {reason}" for reason in d.explanation)
    return out


def explain(decision: LineTaxDecision | OrderTaxDecision) -> list[str]:
    """One block per line: the decision, then why (rule, threshold, buyer, rate source)."""
    if isinstance(decision, LineTaxDecision):
        return _line(decision)
    out = [f"Order: buyer treated as {decision.buyer_treatment}"]
    out.extend(f"  - {note}" for note in decision.explanation)
    for line in decision.lines:
        out.extend(_line(line))
    for m in decision.mentions.mentions:
        out.append(f"Mention {m.code}: {m.fr} / {m.en} ({m.legal_reference})")
    return out
