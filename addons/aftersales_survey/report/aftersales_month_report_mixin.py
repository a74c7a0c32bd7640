import logging

from odoo import api, fields, models, _
from odoo.exceptions import AccessError

MANAGER = "aftersales_base.group_aftersales_manager"

_logger = logging.getLogger(__name__)


class AftersalesMonthReportMixin(models.AbstractModel):
    """A KPI report pre-aggregated by month (issue 8, benchmark 3).

    A PostgreSQL materialized view over a live report, refreshed by the hourly job: the pivot
    of a 1,000,000-request history reads a few thousand monthly rows instead of scanning the
    history once for each of its totals. Rates are computed from their counts for every group
    (`_ratios`), so that a month of 900 requests weighs 900 times a month of one.
    """

    _name = "aftersales.month.report.mixin"
    _description = "After-Sales Monthly KPI Report"
    _auto = False
    _rec_name = "month"
    _order = "date desc"
    _aftersales_month_report = True
    # ratio field -> (numerator field, denominator field, factor: 100.0 for a percentage)
    _ratios = {}

    date = fields.Date(string="Month Start", readonly=True)
    month = fields.Char(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)

    def _month_query(self):
        """The SELECT of the materialized view: one row per month and dimensions, `id` unique."""
        raise NotImplementedError

    @api.model_cr
    def init(self):
        if self._abstract:
            return
        cr = self.env.cr
        # CASCADE-dropped with the live report it reads whenever that one is recreated
        cr.execute("DROP MATERIALIZED VIEW IF EXISTS %s" % self._table)
        cr.execute("CREATE MATERIALIZED VIEW %s AS (%s)" % (self._table, self._month_query()))
        # the unique index lets the refresh run CONCURRENTLY: readers are never blocked
        cr.execute("CREATE UNIQUE INDEX %s_id_index ON %s (id)" % (self._table, self._table))

    @api.model
    def _refresh(self):
        self.env.cr.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY %s" % self._table)
        self.invalidate_cache()
        self.env["ir.config_parameter"].sudo().set_param(
            self._refreshed_at_key(), fields.Datetime.now())

    def _refreshed_at_key(self):
        return "aftersales_survey.refreshed_at.%s" % self._name

    @api.model
    def _refreshed_at(self):
        """When the report last took its numbers from the live requests (issue 15: a report
        that is an hour old says so)."""
        return self.env["ir.config_parameter"].sudo().get_param(self._refreshed_at_key())

    @api.model
    def _action_as_of(self, xmlid):
        """The report's window, named with the time of its numbers in the reader's zone."""
        action = self.env.ref(xmlid).read()[0]
        refreshed = self._refreshed_at()
        as_of = fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(refreshed)).strftime("%Y-%m-%d %H:%M") \
            if refreshed else _("never refreshed")
        action["name"] = _("%(report)s (as of %(time)s)") % {
            "report": action["name"], "time": as_of}
        return action

    @api.model
    def _action_refresh_now(self, xmlid):
        """A manager brings the monthly reports up to date now, instead of at the next
        hourly run, and reopens this one."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(_("Only an after-sales manager refreshes the monthly reports."))
        self._cron_refresh_month_reports()
        return self._action_as_of(xmlid)

    @api.model
    def _cron_refresh_month_reports(self):
        """Hourly job: bring every monthly KPI report up to date."""
        for name in sorted(self.env.registry.models):
            model = self.env[name]
            if getattr(model, "_aftersales_month_report", False) and not model._abstract:
                model.sudo()._refresh()
                _logger.info("Monthly report %s refreshed.", name)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        names = [spec.split(":")[0] for spec in fields]
        ratios = {name: spec for name, spec in self._ratios.items() if name in names}
        terms = {term for spec in ratios.values() for term in spec[:2]} - set(names)
        groups = super().read_group(domain, fields + sorted(terms), groupby, offset=offset,
                                    limit=limit, orderby=orderby, lazy=lazy)
        for group in groups:
            for ratio, (numerator, denominator, factor) in ratios.items():
                group[ratio] = (factor * (group.get(numerator) or 0) / group[denominator]
                                if group.get(denominator) else None)
            for term in terms:
                group.pop(term, None)
        return groups
