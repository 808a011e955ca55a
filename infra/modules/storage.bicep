// The task hub (queues, tables, blobs of the Durable Azure Storage provider) and the Flex Consumption deployment
// package. Shared keys are disabled: only Entra identities (the app's, the deployer's through azd) get in.
param name string
param location string
param tags object
param deploymentContainerName string

@description('Container of the used webhook tokens (replay protection shared by every instance of the app).')
param webhookTokenContainerName string

@description('Enabled, or Disabled when the account is reached only through its private endpoints (privateNetworking).')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }

  resource blobs 'blobServices' = {
    name: 'default'

    resource deployments 'containers' = {
      name: deploymentContainerName
    }

    resource webhookTokens 'containers' = {
      name: webhookTokenContainerName
    }
  }

  // A used webhook token only matters for twice the accepted clock skew (minutes); the app deletes what it meets
  // expired, and this rule sweeps the rest a day later so the container never grows.
  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'expire-webhook-tokens'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: {
                blobTypes: ['blockBlob']
                prefixMatch: ['${webhookTokenContainerName}/']
              }
              actions: {
                baseBlob: {
                  delete: {
                    daysAfterModificationGreaterThan: 1
                  }
                }
              }
            }
          }
        ]
      }
    }
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
