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

    @classmethod
    def _add_dispatch_parameters(cls, func):
        """A logged-in user reads the website and the portal in the language of his account,
        not the one a cookie or the browser last chose, unless the address names one; times
        in his zone, else his company's (issue 15)."""
        super()._add_dispatch_parameters(func)
        if request.routing_iteration != 1 or not request.uid:
            return
        user = request.env.user
        if user._is_public():
            return
        reading = user.partner_id._aftersales_reading_context()
        context = dict(request.context, tz=request.context.get("tz") or reading["tz"])
        # without a routed function, the address starts with a language (website reroutes it)
        if func and user.lang == reading["lang"]:
            request.lang = context["lang"] = reading["lang"]
        request.context = context
