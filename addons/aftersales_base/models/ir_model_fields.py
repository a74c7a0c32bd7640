from collections import defaultdict

from odoo import api, models


class IrModelFields(models.Model):
    _inherit = "ir.model.fields"

    @api.model
    def _aftersales_stable_xmlids(self, module):
        """Give `module`'s fields whose XML ids clash a name that is the same in every database.

        Odoo 11 names a field's XML id ``field_<table>_<field>``, so ``aftersales_ticket`` +
        ``category_id`` and ``aftersales_ticket_category`` + ``id`` get the same name; the field
        created second gets its database id as a suffix. Its label's translation is exported
        under that suffix and then applies in no other database: the label stays English
        (the ticket's "Category" on a Chinese screen). Such fields are renamed
        ``field_<table>__<field>``, on install and on every update, before translations load.
        """
        xmlids = self.env["ir.model.data"].search(
            [("module", "=", module), ("model", "=", self._name)])
        fields_by_id = {field.id: field for field in self.browse(xmlids.mapped("res_id")).exists()}
        default_names = {}
        clashes = defaultdict(int)
        for field in fields_by_id.values():
            if field.model not in self.env:
                continue
            name = "field_%s_%s" % (self.env[field.model]._table, field.name)
            default_names[field.id] = name
            clashes[name] += 1
        for xmlid in xmlids:
            default = default_names.get(xmlid.res_id)
            if not default:
                continue
            suffixed = xmlid.name == "%s_%s" % (default, xmlid.res_id)
            if clashes[default] > 1 or suffixed:
                field = fields_by_id[xmlid.res_id]
                stable = "field_%s__%s" % (self.env[field.model]._table, field.name)
                if xmlid.name != stable:
                    xmlid.write({"name": stable})
        return True
