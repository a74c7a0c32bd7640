from odoo import fields, models


class AftersalesTicketMonthReport(models.Model):
    """Service requests by month, category, channel and product: the KPI pivot of a large
    history (R: K3, K5, K8, K9), refreshed hourly from the live Service Request Analysis."""

    _name = "aftersales.ticket.month.report"
    _inherit = "aftersales.month.report.mixin"
    _auto = False
    _description = "Service Requests by Month"
    _ratios = {
        "timeliness_rate": ("on_time_count", "deadline_count", 100.0),
        "arrival_rate": ("arrival_on_time_count", "arrival_due_count", 100.0),
    }

    category_id = fields.Many2one("aftersales.ticket.category", string="Category", readonly=True)
    channel = fields.Selection(
        [("phone", "Phone"), ("fax", "Fax"), ("email", "E-mail"), ("website", "Website"),
         ("remote", "Remote Service"), ("portal", "Customer Portal"), ("visit", "On-site Visit")],
        readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    is_complaint = fields.Boolean(string="Complaint", readonly=True)
    nbr = fields.Integer(string="# Requests", readonly=True)
    complaint_count = fields.Integer(string="# Complaints", readonly=True)
    deadline_count = fields.Integer(string="# With Promised Time", readonly=True)
    on_time_count = fields.Integer(string="# On Time", readonly=True)
    timeliness_rate = fields.Float(string="Timeliness (%)", readonly=True, group_operator="avg")
    arrival_due_count = fields.Integer(string="# Arrivals Promised", readonly=True)
    arrival_on_time_count = fields.Integer(string="# Arrived on Time", readonly=True)
    arrival_rate = fields.Float(string="Arrival on Time (%)", readonly=True,
                                group_operator="avg")

    def _month_query(self):
        return """
            SELECT min(r.id) AS id, date_trunc('month', r.date::timestamp)::date AS date,
                   r.month, r.category_id, r.channel, r.product_id, r.company_id,
                   r.is_complaint, sum(r.nbr) AS nbr, sum(r.complaint_count) AS complaint_count,
                   sum(r.deadline_count) AS deadline_count,
                   sum(r.on_time_count) AS on_time_count,
                   100.0 * sum(r.on_time_count) / NULLIF(sum(r.deadline_count), 0)
                       AS timeliness_rate,
                   sum(r.arrival_due_count) AS arrival_due_count,
                   sum(r.arrival_on_time_count) AS arrival_on_time_count,
                   100.0 * sum(r.arrival_on_time_count) / NULLIF(sum(r.arrival_due_count), 0)
                       AS arrival_rate
              FROM aftersales_ticket_report r
             GROUP BY 2, 3, 4, 5, 6, 7, 8"""
