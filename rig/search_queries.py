"""Realistic catalog searches and the procedure each must find first (tests and benches).

The procedures are the reference API's demo seed (procedure_api.catalog_data), i.e. the
catalog a demo kiosk really serves.
"""

from __future__ import annotations

# (what a citizen types, expected first procedure id, why the query is hard)
QUERIES: list[tuple[str, str, str]] = [
    ("predial", "property_tax", "one word, two procedures share it"),
    ("pagar agua", "water_bill", "verb + noun"),
    ("acta de nacimiento", "birth_certificate", "stopword inside"),
    ("licensia de funcionamiento", "business_licence", "typo s/c"),
    ("multa transito", "traffic_fine", "missing accent"),
    ("transito multa", "traffic_fine", "word order"),
    ("MULTA DE TRÁNSITO", "traffic_fine", "upper case + accent"),
    ("impuesto predal", "property_tax", "typo: missing letter"),
    ("nacimeinto", "birth_certificate", "typo: swapped letters"),
    ("matrimonio acta", "marriage_certificate", "word order"),
    ("defuncion", "death_certificate", "missing accent"),
    ("no adeudo predial", "no_property_debt_certificate", "competes with property tax"),
    ("constancia predial", "no_property_debt_certificate", "partial title"),
    ("numero oficial", "street_number", "missing accent"),
    ("poda de arboles", "tree_pruning", "missing accent + plural"),
    ("uso de suelo", "land_use", "stopwords"),
    ("ampliacion de casa", "house_extension", "missing accent"),
    ("permiso de construccion", "building_permit", "several permits compete"),
    ("permiso de circulacion", "circulation_permit", "several permits compete"),
    ("conexion de agua", "water_connection", "competes with the water bill"),
    ("renovar patente", "business_licence_renewal", "keyword, not title"),
    ("farol apagado", "street_light_report", "everyday words"),
    ("grua", "towed_vehicle", "missing accent, keyword only"),
    ("basura", "bulky_waste", "keyword"),
    ("queja", "complaint", "synonym keyword"),
    ("beca", "school_grant", "short word"),
    ("pension", "pension_advice", "missing accent"),
    ("adulto mayor", "senior_card", "two-word keyword"),
    ("estacionamiento discapacidad", "disabled_parking", "two parking cards compete"),
    ("matricula escuela", "school_enrolment", "missing accent"),
    ("vivienda social", "social_housing_register", "two words"),
    ("lic funcionamiento", "business_licence", "prefix"),
    ("birth certificate", "birth_certificate", "English"),
    ("traffic fine", "traffic_fine", "English"),
    ("street light", "street_light_report", "English"),
    ("towed car", "towed_vehicle", "English, one word unknown"),
    ("senior card", "senior_card", "English"),
    ("death certificat", "death_certificate", "English, truncated"),
    ("marriage", "marriage_certificate", "English, one word"),
    ("compalint", "complaint", "English typo"),
    ("certificadoresidencia", "residence_certificate", "words run together (fallback)"),
]
