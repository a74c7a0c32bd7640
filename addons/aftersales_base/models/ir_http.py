from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def binary_content(cls, xmlid=None, model="ir.attachment", id=None, field="datas",
                       unique=False, filename=None, filename_field="datas_fname", download=False,
                       mimetype=None, default_mimetype="application/octet-stream",
                       access_token=None, env=None):
        if model == "ir.attachment" and id and not download:
            download = cls._aftersales_served_as_download(id, env or request.env)
        return super().binary_content(
            xmlid=xmlid, model=model, id=id, field=field, unique=unique, filename=filename,
            filename_field=filename_field, download=download, mimetype=mimetype,
            default_mimetype=default_mimetype, access_token=access_token, env=env)

    @classmethod
    def _aftersales_served_as_download(cls, attachment_id, env):
        """A customer's file that is not a photo never opens in the browser of the staff who
        look at it (issue 14): whatever it holds, it is saved, not rendered."""
        try:
            attachment_id = int(attachment_id)
        except (TypeError, ValueError):
            return False
        return bool(env["ir.attachment"].sudo().search_count([
            ("id", "=", attachment_id), ("aftersales_customer_upload", "=", True),
            ("mimetype", "not like", "image/")]))
