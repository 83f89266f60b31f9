"""Django's JSON serialisation with full-precision times, for backups.

Django's JSON encoder cuts times to milliseconds (ECMA-262 style), so a dump of history
records saved within the same millisecond would restore them as ties and lose their
order. This format writes Python's full ISO form; reading is Django's own.
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()


Deserializer = django_json.Deserializer
