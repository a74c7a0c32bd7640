import base64
import io
from collections import namedtuple

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

Kpi = namedtuple("Kpi", "code model domain numerator denominator target kind")

# R: K1-K8. K9 (complaints by category) is a breakdown, see below. Kinds: "percent" and
# "score" are better when higher, "cost" (K7, cost per service) when lower, "count" has no target.
KPIS = [
    Kpi("k1", "aftersales.visit.report", [("in_warranty", "=", True)], "done_count",
        "due_count", "aftersales_target_visit_rate", "percent"),
    Kpi("k2", "aftersales.visit.report", [], "satisfied_count", "rated_count",
        "aftersales_target_satisfaction", "percent"),
    Kpi("k3", "aftersales.ticket.report", [], "on_time_count", "deadline_count",
        "aftersales_target_timeliness", "percent"),
    Kpi("k4", "aftersales.training.report", [], "passed_count", "nbr",
        "aftersales_target_training_pass", "percent"),
    Kpi("k5", "aftersales.ticket.report", [], "arrival_on_time_count", "arrival_due_count",
        "aftersales_target_timeliness", "percent"),
    Kpi("k6", "aftersales.visit.report", [], "score_service_sum", "service_rated_count",
        "aftersales_target_service_score", "score"),
    Kpi("k7", "aftersales.service.cost.report", [], "cost_total", "nbr",
        "aftersales_target_cost_per_service", "cost"),
    Kpi("k8", "aftersales.ticket.report", [], "nbr", None, None, "count"),
]


class AftersalesKpiDashboard(models.TransientModel):
    """After-sales KPIs of a period, actual against target, and their XLSX export."""

    _name = "aftersales.kpi.dashboard"
    _description = "After-Sales KPI Dashboard"

    def _default_date_from(self):
        return fields.Date.to_string(
            fields.Date.from_string(fields.Date.context_today(self)).replace(month=1, day=1))

    date_from = fields.Date(string="From", required=True, default=_default_date_from)
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id)
    # issue 15: the reader knows how fresh the numbers are
    figures_as_of = fields.Datetime(
        string="Figures as of", compute="_compute_as_of",
        help="The KPIs below are counted from the live records when the dashboard is shown.")
    month_reports_as_of = fields.Datetime(
        string="Monthly Reports as of", compute="_compute_as_of",
        help="The monthly reports are refreshed every hour, or now by a manager.")
    k1_actual = fields.Float(string="In-Warranty Return-Visit Rate (%)", compute="_compute_kpis")
    k1_target = fields.Float(related="company_id.aftersales_target_visit_rate", readonly=True)
    k2_actual = fields.Float(string="Service Satisfaction (%)", compute="_compute_kpis")
    k2_target = fields.Float(related="company_id.aftersales_target_satisfaction", readonly=True)
    k3_actual = fields.Float(string="Service Timeliness (%)", compute="_compute_kpis")
    k3_target = fields.Float(related="company_id.aftersales_target_timeliness", readonly=True)
    k4_actual = fields.Float(string="Training Pass Rate (%)", compute="_compute_kpis")
    k4_target = fields.Float(related="company_id.aftersales_target_training_pass",
                             readonly=True)
    k5_actual = fields.Float(string="Arrival on Time (%)", compute="_compute_kpis")
    k5_target = fields.Float(related="company_id.aftersales_target_timeliness", readonly=True)
    k6_actual = fields.Float(string="Service Quality Score (1-5)", compute="_compute_kpis")
    k6_target = fields.Float(related="company_id.aftersales_target_service_score", readonly=True)
    k7_actual = fields.Float(string="Cost per Service", compute="_compute_kpis")
    k7_target = fields.Float(related="company_id.aftersales_target_cost_per_service",
                             readonly=True)
    k7_overrun_count = fields.Integer(string="Cost Overruns", compute="_compute_kpis")
    k8_actual = fields.Integer(string="Service Requests", compute="_compute_kpis")
    k9_actual = fields.Integer(string="Complaints", compute="_compute_kpis")
    xlsx_file = fields.Binary(string="XLSX File", readonly=True, attachment=False)
    xlsx_filename = fields.Char(string="File Name", readonly=True)

    @api.depends("date_from", "date_to", "company_id")
    def _compute_kpis(self):
        self.update(dict({kpi.code + "_actual": 0 for kpi in KPIS}, k9_actual=0,
                         k7_overrun_count=0))
        for dashboard in self.filtered(lambda d: d.date_from and d.date_to):
            values = dashboard._kpi_values()
            for kpi in KPIS:
                dashboard[kpi.code + "_actual"] = values[kpi.code]["actual"] or 0.0
            dashboard.k9_actual = sum(count for _name, count in dashboard._complaints_by_category())
            dashboard.k7_overrun_count = dashboard._cost_overrun_count()

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for dashboard in self:
            if dashboard.date_from > dashboard.date_to:
                raise ValidationError(_("The period ends before it starts."))

    @api.onchange("date_from", "date_to", "company_id")
    def _onchange_period(self):
        """A file exported for another period is no longer offered."""
        self.xlsx_file = False

    # KPI values (the one place where they are computed)

    def _domain(self, domain):
        return domain + [("date", ">=", self.date_from), ("date", "<=", self.date_to),
                             ("company_id", "=", self.company_id.id)]

    @api.model
    def _ratio(self, kpi, numerator, denominator):
        if kpi.kind == "count":
            return numerator
        if not denominator:
            return None
        return (100.0 if kpi.kind == "percent" else 1.0) * numerator / denominator

    def _kpi_values(self, by_month=False):
        """{code: {"numerator", "denominator", "actual", "target"}} for the period, or with
        by_month {code: {"YYYY-MM": {...}}}."""
        result = {}
        # KPIs of one report and domain share one grouped query (issue 8: each query reads the
        # period's requests or visits once, not once per KPI)
        queries = {}
        for kpi in KPIS:
            measures = queries.setdefault((kpi.model, repr(kpi.domain)), (kpi, set()))[1]
            measures.update(f for f in (kpi.numerator, kpi.denominator) if f)
        grouped = {}
        for key, (kpi, measures) in queries.items():
            grouped[key] = self.env[kpi.model].read_group(
                self._domain(kpi.domain), sorted(measures) + (["month"] if by_month else []),
                ["month"] if by_month else [], lazy=False)
        for kpi in KPIS:
            groups = grouped[(kpi.model, repr(kpi.domain))]
            rows = {}
            for group in groups:
                numerator = group[kpi.numerator] or 0
                denominator = group[kpi.denominator] or 0 if kpi.denominator else None
                rows[group.get("month") or ""] = {
                    "numerator": numerator,
                    "denominator": denominator,
                    "actual": self._ratio(kpi, numerator, denominator),
                    "target": self.company_id[kpi.target] if kpi.target else None,
                }
            if by_month:
                result[kpi.code] = rows
            else:
                result[kpi.code] = rows.get("") or {
                    "numerator": 0, "denominator": 0, "actual": self._ratio(kpi, 0, 0),
                    "target": self.company_id[kpi.target] if kpi.target else None}
        return result

    @api.model
    def _target_reached(self, kpi, actual, target):
        """None when there is nothing to compare; costs are reached at or below the target."""
        if actual is None or target is None:
            return None
        return actual <= target if kpi.kind == "cost" else actual >= target

    def _cost_overrun_count(self):
        """R: K7 - services of the period that cost more than their budget (each explained)."""
        return self.env["aftersales.service.cost.report"].search_count(
            self._domain([("is_cost_overrun", "=", True)]))

    def _complaints_by_category(self):
        """R: K9 - [(category name, complaints)] of the period, most frequent first."""
        groups = self.env["aftersales.ticket.report"].read_group(
            self._domain([("is_complaint", "=", True)]),
            ["nbr", "category_id"], ["category_id"])
        # translated here: _() finds the language in this frame, not in a comprehension's
        uncategorised = _("Uncategorised")
        rows = [(g["category_id"] and g["category_id"][1] or uncategorised, g["nbr"])
                for g in groups]
        return sorted(rows, key=lambda row: (-row[1], row[0]))

    def _months(self):
        month = fields.Date.from_string(self.date_from).replace(day=1)
        end = fields.Date.from_string(self.date_to)
        months = []
        while month <= end:
            months.append(month.strftime("%Y-%m"))
            month += relativedelta(months=1)
        return months

    # Actions

    @api.multi
    def action_open_report(self):
        """Open the analysis behind a KPI, on the dashboard's period."""
        self.ensure_one()
        action = self.env.ref(self.env.context["report_action"]).read()[0]
        action["domain"] = [("date", ">=", self.date_from), ("date", "<=", self.date_to),
                            ("company_id", "=", self.company_id.id)]
        return action

    def _compute_as_of(self):
        refreshed = self.env["aftersales.ticket.month.report"]._refreshed_at()
        for dashboard in self:
            dashboard.figures_as_of = fields.Datetime.now()
            dashboard.month_reports_as_of = refreshed

    @api.multi
    def action_refresh_month_reports(self):
        """A manager brings the monthly reports up to date now (issue 15)."""
        self.env["aftersales.ticket.month.report"]._action_refresh_now(
            "aftersales_survey.aftersales_ticket_month_report_action")
        return True

    @api.multi
    def action_export_xlsx(self):
        """Build the XLSX of the period; the dashboard then shows it as a download link.

        Not a redirection to the file (act_url, target self): the web client waits for that
        page to load, and a download loads none, so the dashboard's buttons stayed disabled.
        """
        self.ensure_one()
        filename = "aftersales_kpis_%s_%s.xlsx" % (self.date_from, self.date_to)
        self.write({"xlsx_file": base64.b64encode(self._build_xlsx()),
                    "xlsx_filename": filename})
        return True

    # XLSX

    def _kpi_titles(self):
        return {
            "k1": _("K1 In-Warranty Return-Visit Rate (%)"),
            "k2": _("K2 Service Satisfaction (%)"),
            "k3": _("K3 Service Timeliness (%)"),
            "k4": _("K4 Training Pass Rate (%)"),
            "k5": _("K5 Arrival on Time (%)"),
            "k6": _("K6 Service Quality Score (1-5)"),
            "k7": _("K7 Cost per Service"),
            "k8": _("K8 Service Requests"),
        }

    def _build_xlsx(self):
        """One sheet per KPI by month, K8 with a chart, a summary of targets vs actuals."""
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = book.add_format({"bold": True})
        number = book.add_format({"num_format": "0.00"})
        titles = self._kpi_titles()
        totals = self._kpi_values()
        monthly = self._kpi_values(by_month=True)
        summary = book.add_worksheet(_("Summary"))
        summary.write_row(0, 0, [_("Period"), self.date_from, self.date_to], bold)
        summary.write_row(2, 0, [_("KPI"), _("Actual"), _("Target"), _("Reached")], bold)
        for row, kpi in enumerate(KPIS, start=3):
            value = totals[kpi.code]
            summary.write(row, 0, titles[kpi.code])
            self._write_number(summary, row, 1, value["actual"], number)
            self._write_number(summary, row, 2, value["target"], number)
            reached = self._target_reached(kpi, value["actual"], value["target"])
            if reached is not None:
                summary.write(row, 3, _("Yes") if reached else _("No"))
        summary.set_column(0, 0, 40)
        months = self._months()
        for kpi in KPIS:
            sheet = book.add_worksheet(kpi.code.upper())
            sheet.write(0, 0, titles[kpi.code], bold)
            sheet.write_row(2, 0, [_("Month"), _("Count"), _("Base"), _("Actual"), _("Target")],
                            bold)
            for row, month in enumerate(months, start=3):
                value = monthly[kpi.code].get(month, {})
                sheet.write(row, 0, month)
                sheet.write(row, 1, value.get("numerator", 0))
                if kpi.denominator:
                    sheet.write(row, 2, value.get("denominator", 0))
                self._write_number(sheet, row, 3, value.get("actual", 0 if kpi.kind == "count"
                                                             else None), number)
                self._write_number(sheet, row, 4, totals[kpi.code]["target"], number)
            if kpi.code == "k8" and months:
                chart = book.add_chart({"type": "column"})
                chart.add_series({
                    "name": titles["k8"],
                    "categories": [sheet.name, 3, 0, 2 + len(months), 0],
                    "values": [sheet.name, 3, 1, 2 + len(months), 1],
                })
                chart.set_title({"name": _("Service Requests per Month")})
                chart.set_legend({"none": True})
                sheet.insert_chart(2, 6, chart)
        sheet = book.add_worksheet("K9")
        sheet.write(0, 0, _("K9 Complaints by Category"), bold)
        sheet.write_row(2, 0, [_("Category"), _("Complaints")], bold)
        for row, (category, count) in enumerate(self._complaints_by_category(), start=3):
            sheet.write_row(row, 0, [category, count])
        book.close()
        return output.getvalue()

    @api.model
    def _write_number(self, sheet, row, col, value, cell_format):
        if value is None:
            sheet.write_blank(row, col, None)
        else:
            sheet.write_number(row, col, value, cell_format)
