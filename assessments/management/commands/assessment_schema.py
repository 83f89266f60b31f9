from assessments.commandline import SchemaCommand
from assessments.document import json_schema


class Command(SchemaCommand):
    help = (
        "Write the JSON Schema of the assessment document that import_assessment reads and "
        "export_assessment writes: `assessment_schema -o docs/assessment-document.schema.json`."
    )
    schema = staticmethod(json_schema)
