from rest_framework import serializers


class StrictFieldsMixin:
    """Rejects fields a write serializer does not know, so a typo never passes silently.

    `ignored_fields` are read-only fields of the representation that clients may echo back
    (an `author` or `user` among them): they are dropped, never obeyed.
    """

    ignored_fields: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields) - set(self.ignored_fields))
            if unknown:
                raise serializers.ValidationError({name: ["This field is not allowed."] for name in unknown})
        return super().to_internal_value(data)
