from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

DECISIONS = [
    ("free_replacement", "Free Replacement"),
    ("doa_replacement", "Dead-on-Arrival Replacement"),
    ("free_repair", "Free Repair"),
    ("paid", "Paid"),
]


def add_months(date_string, months):
    """Last day of a window of `months` months starting on `date_string` (inclusive)."""
    start = fields.Date.from_string(date_string)
    return fields.Date.to_string(start + relativedelta(months=months, days=-1))


class AftersalesWarrantyPolicy(models.Model):
    """Warranty terms of a product or a product category. R: W1, W2, W5."""

    _name = "aftersales.warranty.policy"
    _description = "Warranty Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, track_visibility="onchange")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, track_visibility="onchange")
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id, index=True)
    # Scope
    product_tmpl_id = fields.Many2one(
        "product.template", string="Product", index=True,
        help="Applies to this product; a product policy wins over a category policy.")
    categ_id = fields.Many2one(
        "product.category", string="Product Category", index=True,
        help="Applies to every product of this category (and its sub-categories).")
    # Windows (R: W1, W2)
    replacement_months = fields.Integer(
        string="Free Replacement (months)", default=12, track_visibility="onchange",
        help="包换: months of free replacement counted from the purchase.")
    replacement_basis = fields.Selection(
        [("delivery", "Delivery Date"), ("invoice", "Invoice Date")],
        string="Purchase Date", default="delivery", required=True,
        help="Which date starts the replacement window. Without an invoice yet, the delivery "
             "date is used.")
    repair_months = fields.Integer(
        string="Free Repair (months)", default=24, track_visibility="onchange",
        help="保修: months of free repair counted from the acceptance date (the delivery date "
             "until the unit is accepted).")
    # Cover
    cover_parts = fields.Boolean(string="Parts Covered", default=True)
    cover_labour = fields.Boolean(string="Labour Covered", default=True)
    cover_travel = fields.Boolean(string="Travel Covered", default=True)
    exclusion_ids = fields.Many2many(
        "aftersales.warranty.exclusion", string="Exclusions",
        default=lambda self: self.env["aftersales.warranty.exclusion"].search([]),
        help="Causes that void the warranty (R: W5).")
    # Renewal (R: W7)
    extension_product_id = fields.Many2one(
        "product.product", string="Renewal Product",
        domain=[("aftersales_warranty_extension", "=", True)],
        help="Extended warranty offered in the renewal quotation before the cover ends.")
    terms = fields.Html(translate=True)

    @api.constrains("name", "product_tmpl_id", "categ_id")
    def _check_scope(self):
        for policy in self:
            if bool(policy.product_tmpl_id) == bool(policy.categ_id):
                raise ValidationError(_(
                    "Policy %(policy)s must apply to a product or to a category (one of them)."
                ) % {"policy": policy.name})

    @api.constrains("replacement_months", "repair_months")
    def _check_months(self):
        for policy in self:
            if policy.replacement_months < 0 or policy.repair_months < 0:
                raise ValidationError(_("Warranty months cannot be negative."))

    # Lookup

    @api.model
    def _find_for_product(self, product):
        """The policy of `product`: its own first, then the nearest category's."""
        if not product:
            return self.browse()
        template = product.product_tmpl_id if product._name == "product.product" else product
        categories = self.env["product.category"].search([("id", "parent_of", template.categ_id.id)])
        policies = self.search(["|", ("product_tmpl_id", "=", template.id),
                                ("categ_id", "in", categories.ids)])
        own = policies.filtered(lambda p: p.product_tmpl_id == template)
        if own:
            return own[0]
        # the deepest category wins (parent_left grows towards the leaves)
        by_category = policies.sorted(lambda p: -p.categ_id.parent_left)
        return by_category[:1]

    # Windows

    def _standard_dates(self, archive):
        """Dates of the standard contract of `archive` under this policy (R: W1, W2).

        Replacement: from the delivery or invoice date (the delivery date while no invoice).
        Repair: from the acceptance date, or from the delivery date while not accepted yet.
        """
        self.ensure_one()
        delivery = archive.delivery_date or fields.Date.context_today(self)
        purchase = delivery
        if self.replacement_basis == "invoice":
            purchase = archive._get_invoice_date() or delivery
        repair_start = archive.acceptance_date or delivery
        return {
            "date_start": min(delivery, purchase),
            "replacement_date_start": purchase,
            "replacement_date_end": add_months(purchase, self.replacement_months)
            if self.replacement_months else False,
            "repair_date_start": repair_start,
            "date_end": add_months(repair_start, self.repair_months or self.replacement_months),
        }

    # The coverage decision (R: W1-W6)

    @api.model
    def _decide_coverage(self, archive, date=None, exclusion=False, is_doa=False):
        """Decide how a fault of `archive` on `date` is covered.

        Returns a dict: decision (free_replacement | doa_replacement | free_repair | paid),
        reason (text for the hotline), warranty_id, policy_id, exclusion_id.
        The decision reads the contracts' stored dates only: repairs and replacements never
        move them, so they never extend any period (R: W3, W6).
        """
        date = date or fields.Date.context_today(self)
        result = {"decision": "paid", "reason": "", "warranty_id": False,
                  "policy_id": False, "exclusion_id": exclusion and exclusion.id or False}
        contracts = archive.warranty_ids.filtered(lambda w: w.state != "cancel")
        standard = contracts.filtered(lambda w: w.contract_type == "standard")[:1]
        result["policy_id"] = standard.policy_id.id
        if exclusion:
            # R: W5 - a recorded out-of-warranty cause makes the service paid.
            result["reason"] = _("Out of warranty: %(exclusion)s.") % {"exclusion": exclusion.name}
            return result
        if is_doa:
            # R: W4 - dead on arrival: replaced by a product of no lower specification.
            result.update(decision="doa_replacement", warranty_id=standard.id, reason=_(
                "Dead on arrival (delivered on %(date)s): replace with a product of no lower "
                "specification.") % {"date": archive.delivery_date or "-"})
            return result
        if standard and standard.replacement_date_end \
                and standard.replacement_date_start <= date <= standard.replacement_date_end:
            result.update(decision="free_replacement", warranty_id=standard.id, reason=_(
                "Free replacement window of %(contract)s: %(start)s to %(end)s.") % {
                "contract": standard.name, "start": standard.replacement_date_start,
                "end": standard.replacement_date_end})
            return result
        valid = contracts.filtered(lambda w: w.date_start <= date <= w.date_end)
        if valid:
            contract = valid.sorted(lambda w: w.contract_type != "standard")[0]
            template = _("Free repair window of %(contract)s: %(start)s to %(end)s.") \
                if contract.contract_type == "standard" else \
                _("Extended warranty contract %(contract)s: %(start)s to %(end)s.")
            result.update(decision="free_repair", warranty_id=contract.id, reason=template % {
                "contract": contract.name, "start": contract.date_start, "end": contract.date_end})
            return result
        if not contracts:
            result["reason"] = _("No warranty contract for this unit.")
        else:
            last_end = max(contracts.mapped("date_end"))
            result["reason"] = _("Out of warranty: the cover ended on %(end)s.") % {
                "end": last_end}
        return result
