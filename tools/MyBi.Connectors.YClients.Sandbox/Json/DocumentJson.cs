using System.Text.Json;

namespace MyBi.Connectors.YClients.Sandbox.Json;

/// <summary>The document of <c>/storage_operations/documents/{company_id}/{document_id}</c>.</summary>
internal static class DocumentJson
{
    public static void Write(Utf8JsonWriter w, SandboxDocument document, SandboxCompany company, SandboxStorage? storage)
    {
        w.WriteStartObject();
        w.WriteNumber("id", document.Id);
        w.WriteNumber("type_id", document.TypeId);
        w.WriteStartObject("type");
        w.WriteNumber("id", document.TypeId);
        w.WriteString("title", SandboxDocument.TypeTitle(document.TypeId));
        w.WriteEndObject();
        w.WriteNumber("storage_id", document.StorageId);
        w.WriteNumber("user_id", document.UserId);
        w.WriteNumber("company_id", document.CompanyId);
        w.WriteNumber("number", document.Number);
        w.WriteString("comment", document.Comment);
        w.WriteString("create_date", JsonFormat.Naive(document.CreateDate));
        JsonFormat.WriteRef(w, "storage", storage?.Id, storage?.Title);
        CompanyJson.WriteEmbedded(w, company);
        w.WriteStartObject("user");
        w.WriteString("id", JsonFormat.IdString(document.UserId));
        w.WriteString("name", "Анна Смирнова");
        w.WriteString("phone", SandboxCredentials.Login);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
