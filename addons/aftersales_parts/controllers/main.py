from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import content_disposition, request


class PartsUsageExport(http.Controller):

    @http.route("/aftersales_parts/usage.xlsx", type="http", auth="user")
    def parts_usage_xlsx(self, **kwargs):
        """R: A8 - download the parts usage per unit model and month (access rights apply)."""
        report = request.env["aftersales.parts.usage.report"]
        if not report.check_access_rights("read", raise_exception=False):
            raise Forbidden()
        content = report._export_xlsx()
        return request.make_response(content, headers=[
            ("Content-Type",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("Content-Disposition", content_disposition("parts_usage.xlsx")),
        ])
