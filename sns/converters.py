from django.urls import register_converter


class UserRefConverter:
    """A user id in a URL: digits, or `me` for the requester."""

    regex = "me|[0-9]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


def register():
    register_converter(UserRefConverter, "user_ref")
