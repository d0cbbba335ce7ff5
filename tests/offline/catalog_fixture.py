"""A catalog in the API's shape, used until the reference API's demo seed exists.

Procedures follow the municipal guides in ../shared/ARCHITECTURE.md ("Facts for the demo
catalog"). When procedure_api's seed lands, tests load that instead (see demo_catalog()).
"""

from __future__ import annotations

from typing import Any

# id, category, (title es, title en), (keywords es, keywords en), fee kind
_PROCEDURES: list[tuple[str, str, tuple[str, str], tuple[str, str], str]] = [
    ("property-tax", "housing", ("Pago del impuesto predial", "Property tax payment"),
     ("predial impuesto inmueble casa terreno contribución", "property tax house land"), "lookup"),
    ("water-bill", "housing", ("Pago del recibo de agua potable", "Water bill payment"),
     ("agua potable recibo consumo", "water bill supply"), "lookup"),
    ("traffic-fine", "vehicles", ("Pago de multas de tránsito", "Traffic fine payment"),
     ("multa infracción tránsito vehículo patente", "fine ticket traffic car plate"), "lookup"),
    ("advertising-tax", "business", ("Impuesto sobre anuncios publicitarios", "Advertising tax"),
     ("anuncio publicidad letrero cartel", "advertising sign billboard"), "lookup"),
    ("business-licence", "business",
     ("Licencia de funcionamiento de negocio", "Business operating licence"),
     ("licencia funcionamiento negocio comercio local patente comercial",
      "business licence license shop permit"), "fixed"),
    ("building-permit", "housing",
     ("Aprobación de plan de construcción", "Building plan approval"),
     ("construcción obra permiso edificación planos", "building construction permit plans"),
     "fixed"),
    ("house-extension", "housing",
     ("Ampliación de casa habitación", "Home extension permit"),
     ("ampliación casa vivienda remodelación", "extension house home renovation"), "fixed"),
    ("land-use", "housing", ("Dictamen de uso de suelo", "Land-use opinion"),
     ("uso suelo zonificación dictamen", "land use zoning"), "fixed"),
    ("no-debt-certificate", "legal",
     ("Constancia de no adeudo predial", "Certificate of no property-tax debt"),
     ("constancia no adeudo predial deuda certificado", "certificate no debt property tax"),
     "fixed"),
    ("street-number", "housing",
     ("Asignación de número oficial", "Official street number assignment"),
     ("número oficial dirección domicilio calle", "street number address"), "fixed"),
    ("birth-certificate", "legal", ("Acta de nacimiento", "Birth certificate"),
     ("acta nacimiento certificado registro civil", "birth certificate record"), "fixed"),
    ("marriage-certificate", "legal", ("Acta de matrimonio", "Marriage certificate"),
     ("acta matrimonio casamiento boda registro civil", "marriage wedding certificate"),
     "fixed"),
    ("death-certificate", "legal", ("Acta de defunción", "Death certificate"),
     ("acta defunción fallecimiento registro civil", "death certificate deceased"), "fixed"),
    ("complaint", "legal", ("Presentar una reclamación", "File a complaint"),
     ("reclamo reclamación queja denuncia", "complaint claim report"), "free"),
    ("tree-pruning", "housing", ("Solicitud de poda de árboles", "Tree pruning request"),
     ("poda árbol ramas áreas verdes", "tree pruning branches"), "free"),
    ("case-status", "legal", ("Consultar el estado de un trámite", "Check a case status"),
     ("estado seguimiento expediente consulta", "status case follow up track"), "free"),
    ("driving-licence", "vehicles",
     ("Licencia de conducir: renovación", "Driving licence renewal"),
     ("licencia conducir manejar renovación carnet", "driving licence license driver"),
     "fixed"),
    ("vehicle-permit", "vehicles", ("Permiso de circulación", "Vehicle circulation permit"),
     ("permiso circulación vehículo auto placa", "vehicle car registration permit"), "lookup"),
    ("school-enrolment", "education", ("Inscripción escolar", "School enrolment"),
     ("escuela colegio matrícula inscripción", "school enrolment enrollment"), "free"),
    ("scholarship", "education", ("Beca municipal de estudios", "Municipal study grant"),
     ("beca estudio ayuda estudiante", "scholarship grant student"), "free"),
    ("social-benefit", "benefits", ("Subsidio social familiar", "Family social benefit"),
     ("subsidio ayuda social bono familia", "benefit allowance family support"), "free"),
    ("pension-certificate", "employment",
     ("Certificado de pensión", "Pension certificate"),
     ("pensión jubilación certificado", "pension retirement certificate"), "fixed"),
    ("job-bank", "employment", ("Bolsa de empleo municipal", "Municipal job bank"),
     ("empleo trabajo bolsa oferta", "job employment work vacancy"), "free"),
    ("residence-certificate", "legal",
     ("Certificado de residencia", "Certificate of residence"),
     ("residencia domicilio certificado vecino", "residence address certificate"), "fixed"),
    ("garbage-collection", "housing",
     ("Derechos de aseo y recolección de basura", "Garbage collection fee"),
     ("aseo basura residuos recolección", "garbage trash waste collection"), "lookup"),
]


def catalog() -> dict[str, Any]:
    """Return the fixture catalog document (API shape)."""
    procedures = []
    for pid, category, (t_es, t_en), (k_es, k_en), fee in _PROCEDURES:
        procedures.append({
            "id": pid, "category_id": category,
            "title": {"es": t_es, "en": t_en},
            "description": {"es": f"Trámite: {t_es.lower()}.", "en": f"Procedure: {t_en.lower()}."},
            "what_you_get": {"es": "Un comprobante.", "en": "A receipt."},
            "requirements": {"es": [], "en": []},
            "fee": {"kind": fee, **({"amount_cents": 500000} if fee == "fixed" else {})},
            "identity_level": "id_number", "estimated_time": {"es": "5 min", "en": "5 min"},
            "office": {"es": "Tesorería", "en": "Treasury"}, "form_schema": [],
            "keywords": {"es": k_es.split(), "en": k_en.split()},
        })
    return {"version": "fixture-1", "categories": [], "procedures": procedures}
