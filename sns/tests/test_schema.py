from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate


def test_the_openapi_schema_is_valid_and_covers_the_contract():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    validate(schema)
    paths = schema["paths"]
    for path in [
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/auth/token/refresh/",
        "/api/v1/auth/logout/",
        "/api/v1/users/",
        "/api/v1/users/{id}/",
        "/api/v1/users/me/",
        "/api/v1/users/{id}/posts/",
        "/api/v1/users/{id}/following/",
        "/api/v1/users/{id}/followers/",
        "/api/v1/users/{id}/follow/",
        "/api/v1/posts/",
        "/api/v1/posts/mine/",
        "/api/v1/posts/{id}/",
        "/api/v1/posts/{id}/hide/",
        "/api/v1/posts/{id}/unhide/",
        "/api/v1/posts/{id}/images/",
        "/api/v1/posts/{id}/images/{image_id}/",
        "/api/v1/feed/",
    ]:
        assert path in paths, path
    assert "jwtAuth" in schema["components"]["securitySchemes"]
    assert set(paths["/api/v1/users/{id}/follow/"]["post"]["responses"]) >= {"200", "201", "400", "401", "404"}
    assert "401" in paths["/api/v1/auth/token/"]["post"]["responses"]
    assert paths["/api/v1/auth/register/"]["post"].get("security") in ([], [{}], None)


def test_every_operation_documents_its_success_and_auth():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    public = {"/api/v1/auth/register/", "/api/v1/auth/token/", "/api/v1/auth/token/refresh/"}

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            successes = [code for code in operation["responses"] if code.startswith("2")]
            assert successes, f"{method} {path} documents no success"
            if path.startswith("/api/v1/") and path not in public:
                assert "401" in operation["responses"], f"{method} {path}"
                assert {"jwtAuth": []} in operation["security"], f"{method} {path}"


def test_login_documents_the_token_pair():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    login = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]["200"]["content"]["application/json"]
    pair = schema["components"]["schemas"][login["schema"]["$ref"].rsplit("/", 1)[1]]
    assert set(pair["properties"]) == {"access", "refresh"}
