import io
from collections import OrderedDict, defaultdict

import xlsxwriter

from odoo import api, fields, models, tools, _


class AftersalesPartsUsageReport(models.Model):
    """Parts issued per unit model and month, to plan spare parts (R: A8)."""

    _name = "aftersales.parts.usage.report"
    _description = "Spare Parts Usage"
    _auto = False
    _rec_name = "part_id"
    _order = "date desc"

    date = fields.Datetime(string="Issued On", readonly=True)
    unit_product_id = fields.Many2one("product.product", string="Unit Model", readonly=True)
    part_id = fields.Many2one("product.product", string="Part", readonly=True)
    quantity = fields.Float(string="Quantity", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    request_id = fields.Many2one("aftersales.parts.request", string="Parts Request", readonly=True)
    urgency = fields.Selection(
        [("normal", "Normal"), ("urgent", "Urgent")], string="Urgency", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW aftersales_parts_usage_report AS (
                SELECT m.id AS id,
                       m.date AS date,
                       r.unit_product_id AS unit_product_id,
                       m.product_id AS part_id,
                       m.product_qty AS quantity,
                       r.partner_id AS partner_id,
                       r.id AS request_id,
                       l.urgency AS urgency,
                       r.company_id AS company_id
                  FROM stock_move m
                  JOIN aftersales_parts_request_line l ON l.id = m.aftersales_parts_line_id
                  JOIN aftersales_parts_request r ON r.id = l.request_id
                 WHERE m.state = 'done'
            )""")

    @api.model
    def _usage_table(self, domain=None):
        """{(unit model, part): {month: quantity}} and the sorted months, from one read_group."""
        groups = self.read_group(
            domain or [], ["unit_product_id", "part_id", "quantity", "date"],
            ["unit_product_id", "part_id", "date:month"], lazy=False)
        table = defaultdict(lambda: defaultdict(float))
        months = OrderedDict()
        for group in groups:
            unit = group["unit_product_id"] and group["unit_product_id"][1] or _("(no unit)")
            part = group["part_id"] and group["part_id"][1] or ""
            month = group["date:month"]
            months[month] = True
            table[(unit, part)][month] += group["quantity"]
        return table, list(months)

    @api.model
    def _export_xlsx(self, domain=None):
        """R: A8 - the planning sheet: one row per unit model and part, one column per month."""
        table, months = self._usage_table(domain)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Parts Usage"))
        bold = workbook.add_format({"bold": True})
        headers = [_("Unit Model"), _("Part")] + months + [_("Total")]
        for col, header in enumerate(headers):
            sheet.write(0, col, header, bold)
        for row, (key, by_month) in enumerate(sorted(table.items()), start=1):
            sheet.write(row, 0, key[0])
            sheet.write(row, 1, key[1])
            for col, month in enumerate(months, start=2):
                sheet.write_number(row, col, by_month.get(month, 0.0))
            sheet.write_number(row, len(months) + 2, sum(by_month.values()))
        sheet.set_column(0, 1, 32)
        workbook.close()
        return output.getvalue()
