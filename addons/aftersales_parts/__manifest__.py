# Copyright 2026 After-Sales Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "After-Sales Spare Parts",
    "summary": "Spare-parts requests, the parts warehouse and core parts returned to the maker",
    "version": "11.0.1.0.0",
    "category": "After-Sales",
    "website": "https://github.com/aftersales-suite/aftersales",
    "author": "After-Sales Suite contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["aftersales_warranty", "purchase", "stock"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/aftersales_parts_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/stock_data.xml",
        "data/ir_cron_data.xml",
        "views/aftersales_parts_request_views.xml",
        "views/aftersales_core_return_views.xml",
        "views/aftersales_parts_usage_report_views.xml",
        "views/product_template_views.xml",
        "views/stock_views.xml",
        "views/res_partner_views.xml",
        "views/mrp_repair_views.xml",
        "views/aftersales_ticket_views.xml",
        "views/res_config_settings_views.xml",
        "views/aftersales_parts_menus.xml",
    ],
    "demo": [
        "demo/aftersales_parts_demo.xml",
    ],
}
