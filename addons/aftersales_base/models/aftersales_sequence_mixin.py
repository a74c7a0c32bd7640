from odoo import api, models


class AftersalesSequenceMixin(models.AbstractModel):
    """Documents numbered by the ir.sequence whose code is the model's name."""

    _name = "aftersales.sequence.mixin"
    _description = "After-Sales Numbered Document"

    @api.model
    def create(self, vals):
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or "/"
        return super().create(vals)

    @api.model
    def _next_names(self, count):
        """`count` numbers of this model's sequence drawn at once, in order.

        One query for a whole delivery instead of two a document. Sequences that cannot be
        drawn in bulk (no gap, or numbered per date range) give their numbers one by one.
        """
        self.env["ir.sequence"].check_access_rights("read")
        company_id = self._context.get("force_company") or self.env.user.company_id.id
        sequence = self.env["ir.sequence"].search(
            [("code", "=", self._name), ("company_id", "in", [company_id, False])],
            order="company_id", limit=1)
        if not sequence:
            return ["/"] * count
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _ in range(count)]
        self.env.cr.execute("SELECT nextval(%s) FROM generate_series(1, %s)",
                            ("ir_sequence_%03d" % sequence.id, count))
        return [sequence.get_next_char(number) for number in sorted(
            row[0] for row in self.env.cr.fetchall())]
