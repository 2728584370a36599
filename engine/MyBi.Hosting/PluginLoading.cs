namespace MyBi.Hosting;

/// <summary>Whether loading a pipeline may run its connector plugin's code.</summary>
public enum PluginLoading
{
    /// <summary>Load the plugin: the pipeline can run, and the connector checks itself.</summary>
    Load,

    /// <summary>
    /// Run no plugin code: the connector's part of the file is checked against the schema files its manifest
    /// declares, and the loaded pipeline has no <see cref="LoadedPipeline.Connector"/>.
    /// </summary>
    SchemasOnly,
}
