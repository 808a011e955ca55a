// WabaOrchestrator on Azure: one resource group with a Flex Consumption (FC1) Function App on .NET 10 isolated, its
// Storage (Durable task hub and deployment package, shared keys disabled), a Key Vault (RBAC) with the app's secrets,
// Application Insights + Log Analytics (local auth disabled) and one user-assigned identity that reaches all of them.
// `azd up` provisions this and deploys src/WabaOrchestrator.Functions (azure.yaml, service "api").
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; resource names and the azd-env-name tag derive from it.')
param environmentName string

// The regions that offer Flex Consumption (`az functionapp list-flexconsumption-locations`), as in the official
// quickstart; azd offers only these. Extend the list when Azure adds regions.
@minLength(1)
@description('Azure region of every resource (one that offers Flex Consumption).')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'japanwest'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the user or CI principal running azd: it may then set the secrets in the Key Vault (Key Vault Secrets Officer).')
param principalId string = ''

@description('Vonage application id (not a secret).')
param vonageApplicationId string = ''

@description('Root of the Vonage APIs.')
param vonageBaseUrl string = 'https://api.nexmo.com/'

// Base64 of the PEM: a PEM's newlines break the parameters file azd generates from `azd env set` values.
@secure()
@description('Base64 of the Vonage application\'s PEM private key (base64 -w0 private.key). Empty: set the vonage-private-key secret in the vault yourself (docs/azure.md).')
param vonagePrivateKeyBase64 string = ''

@secure()
@description('Vonage account signature secret (signed webhooks). Empty: set the vonage-signature-secret secret yourself.')
param vonageSignatureSecret string = ''

@secure()
@description('Base64 of 32 random bytes that encrypts secrets in orchestration history. Empty: set the secret-protection-key secret yourself.')
param secretProtectionKey string = ''

@secure()
@description('HMAC key of the status callbacks. Empty: callbacks stay off until the callback-signing-secret secret is set.')
param callbackSigningSecret string = ''

@minValue(1)
@maxValue(1000)
@description('Upper bound of Flex Consumption instances.')
param maximumInstanceCount int = 100

@allowed([512, 2048, 4096])
@description('Memory of one Flex Consumption instance, in MB.')
param instanceMemoryMB int = 2048

// Durable Functions on Flex Consumption: an always-ready instance of the `durable` group keeps the task hub's
// queues polled, so orchestrations and activities start without waiting for a scale-from-zero decision.
@minValue(0)
@maxValue(1000)
@description('Always-ready instances of the durable group (orchestrators, activities and entities); 0 lets it scale to zero.')
param durableAlwaysReadyInstanceCount int = 1

// Off by default: with it on, Storage and Key Vault refuse every public request, so the deployer's own machine can no
// longer set secrets or read the task hub (docs/azure.md, "Private networking", says what changes).
@description('Reach Storage and Key Vault only through private endpoints in a virtual network the app joins; public access off.')
param privateNetworking bool = false

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-${resourceToken}'
var deploymentContainerName = 'app-package-${resourceToken}'
var taskHubName = 'waba${resourceToken}'
var webhookTokenContainerName = 'webhook-tokens'
var publicNetworkAccess = privateNetworking ? 'Disabled' : 'Enabled'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    webhookTokenContainerName: webhookTokenContainerName
    publicNetworkAccess: publicNetworkAccess
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    vonagePrivateKeyBase64: vonagePrivateKeyBase64
    vonageSignatureSecret: vonageSignatureSecret
    secretProtectionKey: secretProtectionKey
    callbackSigningSecret: callbackSigningSecret
    publicNetworkAccess: publicNetworkAccess
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  scope: rg
  params: {
    name: 'vnet-${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    identityPrincipalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    deployerPrincipalId: principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultUri: keyVault.outputs.uri
    taskHubName: taskHubName
    vonageApplicationId: vonageApplicationId
    vonageBaseUrl: vonageBaseUrl
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    durableAlwaysReadyInstanceCount: durableAlwaysReadyInstanceCount
    appSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
  }
  // The app reads its secrets and its task hub at start: let the roles land first.
  dependsOn: [
    roles
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_URI string = functionApp.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_USER_ASSIGNED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output DURABLE_TASK_HUB_NAME string = taskHubName
