from django.http import QueryDict
from rest_framework import serializers
from rest_framework.settings import api_settings

# JSON types a field accepts; DRF alone would also coerce 0 into "0" or "true" into True.
_JSON_TYPES = (
    (serializers.BooleanField, bool, "Must be true or false."),
    (serializers.CharField, str, "Not a string."),
)


class StrictFieldsMixin:
    """Write serializers that accept exactly what the schema documents.

    Unknown fields are refused so that a typo never passes silently, and JSON values must have the
    documented type. `ignored_fields` are read-only fields of the representation that clients may
    echo back (an `author` or `user` among them): they are dropped, never obeyed.
    """

    ignored_fields: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields) - set(self.ignored_fields))
            if unknown:
                # Reported on the body as a whole, naming the fields: an unknown name is no attribute.
                raise serializers.ValidationError(
                    {api_settings.NON_FIELD_ERRORS_KEY: [f"Unknown field(s): {', '.join(unknown)}."]}
                )
        if isinstance(data, dict) and not isinstance(data, QueryDict):  # form values are always text
            wrong = {
                name: [message]
                for name, field in self.fields.items()
                for kind, json_type, message in _JSON_TYPES
                if isinstance(field, kind) and data.get(name) is not None and not isinstance(data[name], json_type)
            }
            # A maximum length holds for the text as sent, as the schema's maxLength says, not only
            # for what is left once DRF has trimmed it (fields that count after trimming say so).
            too_long = {
                name: [f"Ensure this field has no more than {field.max_length} characters."]
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField)
                and field.max_length
                and not getattr(field, "length_after_trimming", False)
                and isinstance(data.get(name), str)
                and len(data[name]) > field.max_length
                and name not in wrong
            }
            wrong.update(too_long)
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


class ListFieldErrorsOnTheField(serializers.ListField):
    """A list whose item errors name the field (`images`), not an item index (`images.0`)."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail  # {index: [ErrorDetail]} for item errors; ErrorDetails keep their codes
            errors = [error for item in detail.values() for error in item] if isinstance(detail, dict) else detail
            raise serializers.ValidationError(errors) from None
