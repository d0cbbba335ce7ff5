"""The demo municipality's catalog as data: categories, procedures, form fields."""

from __future__ import annotations

from typing import Any

CATEGORIES: list[dict[str, Any]] = [
    {"id": "benefits", "icon": "hand-heart",
     "title": {"es": "Ayudas y beneficios", "en": "Benefits"},
     "description": {"es": "Subsidios, ayudas sociales y becas.",
                     "en": "Allowances, social support and grants."}},
    {"id": "education", "icon": "school",
     "title": {"es": "Educación", "en": "Education"},
     "description": {"es": "Matrículas, becas y certificados escolares.",
                     "en": "School enrolment, grants and school certificates."}},
    {"id": "legal", "icon": "scale",
     "title": {"es": "Registro civil y trámites legales", "en": "Legal and notarial"},
     "description": {"es": "Actas de nacimiento, matrimonio y defunción; reclamaciones.",
                     "en": "Birth, marriage and death records; complaints."}},
    {"id": "vehicles", "icon": "car",
     "title": {"es": "Vehículos y transporte", "en": "Vehicles and transport"},
     "description": {"es": "Multas, permisos de circulación y estacionamiento.",
                     "en": "Fines, vehicle permits and parking."}},
    {"id": "housing", "icon": "home",
     "title": {"es": "Vivienda y servicios", "en": "Housing and local services"},
     "description": {"es": "Predial, agua, obras, número oficial, poda de árboles.",
                     "en": "Property tax, water, building, street numbers, tree pruning."}},
    {"id": "business", "icon": "store",
     "title": {"es": "Negocios", "en": "Business"},
     "description": {"es": "Licencias de funcionamiento y publicidad.",
                     "en": "Business licences and advertising."}},
    {"id": "employment", "icon": "briefcase",
     "title": {"es": "Empleo y pensiones", "en": "Employment and pensions"},
     "description": {"es": "Bolsa de empleo, capacitación y pensiones.",
                     "en": "Job board, training and pensions."}},
]


def _field(name: str, kind: str, es: str, en: str, *, required: bool = True,
           prefill: str | None = None, max_length: int | None = 200) -> dict[str, Any]:
    return {"name": name, "type": kind, "label": {"es": es, "en": en}, "required": required,
            "max_length": max_length if kind in ("text", "textarea") else None,
            "prefill": prefill, "options": None}


NATIONAL_NUMBER = _field("national_number", "text", "Número nacional", "National number",
                         prefill="national_number", max_length=11)
FULL_NAME = _field("full_name", "text", "Nombre completo", "Full name", prefill="full_name")
ADDRESS = _field("address", "text", "Domicilio", "Address", prefill="address")
PHONE = _field("phone", "phone", "Teléfono de contacto", "Contact phone", required=False)
CADASTRAL_KEY = _field("cadastral_key", "text", "Clave catastral", "Cadastral key",
                       max_length=20)
DETAILS = _field("details", "textarea", "Describa su solicitud", "Describe your request",
                 max_length=1000)

PROCEDURES: list[dict[str, Any]] = [
    {"id": "property_tax", "category_id": "housing",
     "title": {"es": "Pagar el impuesto predial", "en": "Pay property tax"},
     "description": {"es": "Pague el impuesto anual de su casa o terreno.",
                     "en": "Pay the yearly tax on your house or land."},
     "what_you_get": {"es": "Un recibo de pago.", "en": "A payment receipt."},
     "requirements": {"es": ["Clave catastral o su cédula"],
                      "en": ["Cadastral key or your ID card"]},
     "fee": {"kind": "lookup", "amount_cents": None}, "identity_level": "id_number",
     "estimated_time": {"es": "5 minutos", "en": "5 minutes"},
     "office": {"es": "Tesorería municipal", "en": "Municipal treasury"},
     "form_schema": [], "keywords": {"es": ["predial", "contribuciones", "casa", "terreno"],
                                     "en": ["property", "tax", "house", "land"]}},
]
