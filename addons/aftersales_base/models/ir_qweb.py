from odoo import models


class IrQWeb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _get_field(self, record, field_name, expression, tagName, field_options, options,
                   values):
        """Fields of a document prepared for its reader (``_for_customer``) are formatted in
        the reader's language and time zone, not the renderer's: selection values, dates and
        times (issue 15). Other records render as Odoo renders them."""
        context = record.env.context
        if context.get("aftersales_reader"):
            self = self.with_context(lang=context.get("lang"), tz=context.get("tz"))
        return super(IrQWeb, self)._get_field(
            record, field_name, expression, tagName, field_options, options, values)
