// The app's secrets, under RBAC (no access policies). A secret is written only when its parameter is given, so a later
// `azd up` without it keeps a value set with `az keyvault secret set`. Names match KeyVaultSecrets in the app.
param name string
param location string
param tags object

@description('Enabled, or Disabled when the vault is reached only through its private endpoint (privateNetworking).')
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string = 'Enabled'

@description('Base64 of the PEM (a PEM\'s newlines do not survive azd\'s parameters file); the vault keeps the PEM itself.')
@secure()
param vonagePrivateKeyBase64 string
@secure()
param vonageSignatureSecret string
@secure()
param secretProtectionKey string
@secure()
param callbackSigningSecret string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    // A deleted secret (the protection key above all: without it no running onboarding can read its pin) stays
    // recoverable for 90 days, and purge protection stops anyone, an admin included, from purging it sooner.
    // Purge protection cannot be turned off again, and a purge-protected vault's name stays taken until its
    // retention ends: `azd down --purge` cannot purge it (docs/azure.md).
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }
}

resource privateKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(vonagePrivateKeyBase64)) {
  parent: vault
  name: 'vonage-private-key'
  properties: {
    value: base64ToString(vonagePrivateKeyBase64)
    contentType: 'application/x-pem-file'
  }
}

resource signatureSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(vonageSignatureSecret)) {
  parent: vault
  name: 'vonage-signature-secret'
  properties: {
    value: vonageSignatureSecret
  }
}

resource protectionKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(secretProtectionKey)) {
  parent: vault
  name: 'secret-protection-key'
  properties: {
    value: secretProtectionKey
  }
}

resource callbackSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(callbackSigningSecret)) {
  parent: vault
  name: 'callback-signing-secret'
  properties: {
    value: callbackSigningSecret
  }
}

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
