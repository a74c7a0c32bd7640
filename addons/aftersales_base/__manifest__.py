# Copyright 2026 After-Sales Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "After-Sales Service",
    "summary": "Delivery archives per unit, service requests, dispatch and service records",
    "version": "11.0.1.0.0",
    "category": "After-Sales",
    "website": "https://github.com/aftersales-suite/aftersales",
    "author": "After-Sales Suite contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["sale_stock", "portal", "mail"],
    "data": [
        "security/aftersales_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/aftersales_service_record_data.xml",
        "report/service_record_report.xml",
        "report/service_record_templates.xml",
        "views/aftersales_archive_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/aftersales_service_record_views.xml",
        "views/portal_templates.xml",
        "views/aftersales_menus.xml",
    ],
    "demo": [
        "demo/aftersales_base_demo.xml",
        "demo/aftersales_service_record_demo.xml",
    ],
}
