import calendar
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

from odoo.addons.aftersales_base.tools import CRON_BATCH_SIZE, search_in_batches

RULE_TYPES = [
    ("new_unit", "New Unit"),
    ("maintenance", "Maintenance Reminder"),
    ("key_customer", "Key Customer Care"),
    ("after_repair", "After Major Repair"),
    ("inspection", "Periodic Inspection"),
    ("campaign", "Yearly Satisfaction Campaign"),
]
# Rules that look at every delivered unit: the planning job takes their units in batches.
UNIT_RULE_TYPES = ("new_unit", "maintenance", "inspection")


def _last_day(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


class AftersalesVisitRule(models.Model):
    """When a return visit is due (R: V1-V4, V6, V7). The rules are data: editable, archivable."""

    _name = "aftersales.visit.rule"
    _description = "Return Visit Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    rule_type = fields.Selection(RULE_TYPES, string="Type", required=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True)
    note = fields.Text(string="Description", translate=True)
    # What the visit does
    survey_id = fields.Many2one(
        "survey.survey", string="Survey", help="Survey the customer answers during the visit.")
    channel = fields.Selection(
        [("phone", "Phone"), ("on_site", "On Site"), ("portal", "Portal")],
        string="Default Channel", required=True, default="phone")
    user_id = fields.Many2one(
        "res.users", string="Visitor",
        help="Person who must make the visit; the unit's salesperson when empty.")
    # When it is due
    date_start = fields.Date(
        string="Applies From", required=True, default=fields.Date.context_today,
        help="Units delivered and periods starting before this date get no visit from this rule.")
    delay_days = fields.Integer(
        string="Days Allowed", default=10,
        help="Days after the trigger (delivery, repair, maintenance date) within which the "
             "visit must be done.")
    interval_months = fields.Integer(
        string="Every (months)", default=6, help="Interval of periodic inspections.")
    visits_per_year = fields.Integer(string="Visits per Year", default=2)
    month_start = fields.Integer(string="From Month", default=7)
    month_end = fields.Integer(string="To Month", default=8)
    lead_days = fields.Integer(
        string="Plan Days Ahead", default=0,
        help="The visit is created this many days before its planned date.")

    @api.constrains("delay_days", "interval_months", "visits_per_year", "month_start",
                    "month_end", "lead_days")
    def _check_figures(self):
        for rule in self:
            if rule.delay_days < 0 or rule.lead_days < 0:
                raise ValidationError(_("Rule %(rule)s: days cannot be negative.")
                                      % {"rule": rule.name})
            if rule.rule_type == "inspection" and rule.interval_months < 1:
                raise ValidationError(_("Rule %(rule)s: inspections need an interval of at "
                                        "least one month.") % {"rule": rule.name})
            if rule.rule_type == "key_customer" and rule.visits_per_year not in (1, 2, 3, 4, 6, 12):
                raise ValidationError(_("Rule %(rule)s: visits per year must divide the year "
                                        "(1, 2, 3, 4, 6 or 12).") % {"rule": rule.name})
            if rule.rule_type == "campaign" and not (
                    1 <= rule.month_start <= rule.month_end <= 12):
                raise ValidationError(_("Rule %(rule)s: the campaign months must be between 1 "
                                        "and 12, the first not after the last.")
                                      % {"rule": rule.name})

    # Due visits: each returns a list of visit values, one per (customer, unit, period).

    @api.multi
    def _due_visit_vals(self, today):
        """Values of every visit due on `today` by these rules (existing ones included)."""
        result = []
        for rule in self:
            for vals_list in rule._due_visit_batches(today, batch_size=None):
                result += vals_list
        return result

    @api.multi
    def _due_visit_batches(self, today, batch_size=CRON_BATCH_SIZE):
        """Yield the values of the visits due on `today`, one list per batch of at most
        `batch_size` units (all at once when None): the planning job commits after each
        batch, so its memory does not grow with the number of units (issue 8)."""
        for rule in self:
            method = getattr(rule, "_due_%s" % rule.rule_type)
            if rule.rule_type not in UNIT_RULE_TYPES:
                yield method(today)
                continue
            # only the fields the rule reads, not every column of every unit (3 ms a unit)
            Archive = self.env["aftersales.archive"].with_context(prefetch_fields=False)
            domain = rule._target_units_domain(today)
            if batch_size is None:
                yield method(today, Archive.search(domain, order="id"))
                continue
            for batch in search_in_batches(Archive, domain, batch_size):
                yield method(today, batch)

    def _target_units(self, today=None):
        return self.env["aftersales.archive"].search(
            self._target_units_domain(today), order="id")

    def _target_units_domain(self, today=None):
        domain = [("state", "!=", "returned"), ("delivery_date", "!=", False),
                  ("company_id", "=", self.company_id.id)]
        if self.rule_type == "new_unit" and today:
            # only units delivered since the rule applies and up to the planning horizon:
            # the rest of the history needs no look (and the index on delivery_date finds these)
            horizon = today + relativedelta(days=self.lead_days)
            domain += [("delivery_date", ">=", self.date_start),
                       ("delivery_date", "<=", fields.Date.to_string(horizon))]
        return domain

    def _vals(self, period, planned, deadline, partner, unit=None):
        unit = unit or self.env["aftersales.archive"]
        return {
            "rule_id": self.id,
            "period_key": period,
            "partner_id": partner.id,
            "archive_id": unit.id,
            "contact_id": unit.contact_id.id,
            "planned_date": fields.Date.to_string(planned),
            "deadline": fields.Date.to_string(deadline),
            "channel": self.channel,
            "survey_id": self.survey_id.id,
            "company_id": self.company_id.id,
        }

    def _due_new_unit(self, today, units):
        """R: V1 - a new unit is visited within `delay_days` days (inclusive) of delivery."""
        start = fields.Date.from_string(self.date_start)
        result = []
        for unit in units:
            delivered = fields.Date.from_string(unit.delivery_date)
            if start <= delivered and delivered - relativedelta(days=self.lead_days) <= today:
                result.append(self._vals("new", delivered,
                                         delivered + relativedelta(days=self.delay_days),
                                         unit.partner_id, unit))
        return result

    def _periodic_unit_visits(self, today, units, key, interval_of,
                              season_of=lambda unit: False):
        """Visits every `interval_of(unit)` months after delivery, moved into a season."""
        start = fields.Date.from_string(self.date_start)
        horizon = today + relativedelta(days=self.lead_days)
        result = []
        for unit in units:
            interval = interval_of(unit)
            if interval < 1:
                continue
            delivered = fields.Date.from_string(unit.delivery_date)
            number = 1
            planned = self._in_season(delivered + relativedelta(months=interval), season_of(unit))
            while planned <= horizon:
                if planned >= start:
                    result.append(self._vals(
                        "%s-%d" % (key, number), planned,
                        planned + relativedelta(days=self.delay_days), unit.partner_id, unit))
                number += 1
                planned = self._in_season(
                    delivered + relativedelta(months=interval * number), season_of(unit))
        return result

    @api.model
    def _in_season(self, day, season):
        """The first day on or after `day` that falls in `season` (unchanged when no season)."""
        months = self.env["product.template"]._aftersales_season_months().get(season)
        if not months or day.month in months:
            return day
        probe = day.replace(day=1)
        while probe.month not in months:
            probe += relativedelta(months=1)
        return probe

    def _due_maintenance(self, today, units):
        """R: V2 - maintenance reminders by the product's interval and season."""
        return self._periodic_unit_visits(
            today, units, "maintenance",
            lambda unit: unit.product_id.aftersales_maintenance_interval,
            lambda unit: unit.product_id.aftersales_maintenance_season)

    def _due_inspection(self, today, units):
        """R: V6 - periodic on-site inspections every `interval_months` months."""
        return self._periodic_unit_visits(
            today, units, "inspection", lambda unit: self.interval_months)

    def _due_key_customer(self, today):
        """R: V3 - key customers get `visits_per_year` visits a year, one per period."""
        months = 12 // self.visits_per_year
        period = (today.month - 1) // months
        planned = date(today.year, period * months + 1, 1)
        deadline = _last_day(today.year, period * months + months)
        if planned < fields.Date.from_string(self.date_start).replace(day=1):
            return []
        partners = self.env["res.partner"].search([
            ("aftersales_key_customer", "=", True), ("is_company", "=", True)])
        key = "%d-%d/%d" % (today.year, period + 1, self.visits_per_year)
        return [self._vals(key, planned, deadline, partner) for partner in partners]

    def _due_campaign(self, today):
        """R: V7 - one satisfaction visit per customer with units, between the campaign months."""
        planned = date(today.year, self.month_start, 1)
        deadline = _last_day(today.year, self.month_end)
        if not (planned - relativedelta(days=self.lead_days) <= today <= deadline) \
                or planned < fields.Date.from_string(self.date_start).replace(day=1):
            return []
        # one grouped query for the customers, not every unit in memory
        groups = self.env["aftersales.archive"].read_group(
            [("state", "!=", "returned"), ("delivery_date", "!=", False),
             ("company_id", "=", self.company_id.id)], ["partner_id"], ["partner_id"])
        partners = self.env["res.partner"].browse(
            [group["partner_id"][0] for group in groups if group["partner_id"]])
        return [self._vals(str(today.year), planned, deadline, partner) for partner in partners]

    def _due_after_repair(self, today):
        """R: V4 - repairs come through `aftersales.visit._plan_after_repair` (a hook), or
        from mrp.repair when the warranty addon is installed (soft check, no dependency)."""
        repairs = self.env["aftersales.visit"]._major_warranty_repairs(
            fields.Date.from_string(self.date_start), today)
        return [self._vals_after_repair(archive, day) for archive, day in repairs]

    def _vals_after_repair(self, archive, repair_date):
        return self._vals("repair-%s" % fields.Date.to_string(repair_date), repair_date,
                          repair_date + relativedelta(days=self.delay_days),
                          archive.partner_id, archive)
