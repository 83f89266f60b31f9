from assessments.commandline import SchemaCommand
from assessments.framework_document import json_schema


class Command(SchemaCommand):
    help = (
        "Write the JSON Schema of the framework file that load_framework reads: "
        "`framework_schema -o docs/framework.schema.json`."
    )
    schema = staticmethod(json_schema)
