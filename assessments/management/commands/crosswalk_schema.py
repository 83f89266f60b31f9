from assessments.commandline import SchemaCommand
from assessments.crosswalk_document import json_schema


class Command(SchemaCommand):
    help = (
        "Write the JSON Schema of the crosswalk file that new_cycle --crosswalk reads: "
        "`crosswalk_schema -o docs/crosswalk.schema.json`."
    )
    schema = staticmethod(json_schema)
