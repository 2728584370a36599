using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary>Services, service categories and staff of a company; the partner token suffices, as documented.</summary>
internal sealed class CatalogEndpoints(SandboxRuntime runtime)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        EndpointMapper.Get(routes, "/company/{company_id}/services", AccessLevel.Partner, Permission.Catalog, ListServicesAsync);
        EndpointMapper.Get(routes, "/company/{company_id}/services/{service_id}", AccessLevel.Partner, Permission.Catalog, GetServiceAsync);
        EndpointMapper.Get(routes, "/company/{company_id}/service_categories", AccessLevel.Partner, Permission.Catalog, ListCategoriesAsync);
        EndpointMapper.Get(routes, "/company/{company_id}/service_categories/{category_id}", AccessLevel.Partner, Permission.Catalog, GetCategoryAsync);
        EndpointMapper.Get(routes, "/company/{company_id}/staff", AccessLevel.Partner, Permission.Catalog, ListStaffAsync);
        EndpointMapper.Get(routes, "/company/{company_id}/staff/{staff_id}", AccessLevel.Partner, Permission.Catalog, GetStaffAsync);
    }

    private Task ListServicesAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var query = new RequestQuery(context);
        var staffId = query.Id("staff_id");
        var categoryId = query.Id("category_id");
        var services = set.Services
            .Where(s => (staffId is null || s.StaffIds.Contains(staffId.Value)) && (categoryId is null || s.CategoryId == categoryId))
            .ToList();
        return Envelope.ListAsync(context, services, (w, s) => ServiceJson.WriteService(w, s, set), Envelope.TotalCountMeta(services.Count));
    }

    private Task GetServiceAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var service = set.ServicesById.GetValueOrDefault(SandboxRuntime.RouteId(context, "service_id"))
            ?? throw new NotFoundException("Услуга не найдена.");
        return Envelope.ObjectAsync(context, w => ServiceJson.WriteService(w, service, set));
    }

    private Task ListCategoriesAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var staffId = new RequestQuery(context).Id("staff_id");
        var categories = set.ServiceCategories.Where(c => staffId is null || c.StaffIds.Contains(staffId.Value)).ToList();
        return Envelope.ListAsync(context, categories, ServiceJson.WriteCategory, Envelope.TotalCountMeta(categories.Count));
    }

    private Task GetCategoryAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var id = SandboxRuntime.RouteId(context, "category_id");
        var category = set.ServiceCategories.FirstOrDefault(c => c.Id == id) ?? throw new NotFoundException("Категория услуг не существует.");
        return Envelope.ObjectAsync(context, w => ServiceJson.WriteCategory(w, category));
    }

    private Task ListStaffAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        return Envelope.ListAsync(context, set.Staff, (w, s) => StaffJson.Write(w, s, set), Envelope.CountMeta(set.Staff.Count));
    }

    private Task GetStaffAsync(HttpContext context)
    {
        var set = runtime.RouteCompany(context);
        var staff = set.StaffById.GetValueOrDefault(SandboxRuntime.RouteId(context, "staff_id")) ?? throw new NotFoundException("Сотрудник не найден.");
        return Envelope.ObjectAsync(context, w => StaffJson.Write(w, staff, set));
    }
}
