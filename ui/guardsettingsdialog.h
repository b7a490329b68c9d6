#pragma once

// GuardSettingsDialog: edits one profile's order confirmation and fat-finger guards (maximum
// order value, maximum price distance from the mid) and the fee rates the ticket's estimate
// uses. Every number is typed as text and parsed with Decimal::fromString, never through
// double, so what the trader typed is exactly what the ticket checks against. Invalid input
// puts a red message under the field and disables OK. GUI thread; modal.

#include "model/ordervalidation.h"

#include <QDialog>
#include <QString>

#include <array>
#include <optional>

class QCheckBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;

namespace ui {

class GuardSettingsDialog : public QDialog {
    Q_OBJECT
public:
    GuardSettingsDialog(const QString &profile, const model::GuardSettings &guards,
                        const model::FeeRates &fees, QWidget *parent = nullptr);

    // The values as edited. While a field is invalid (OK disabled) it contributes the value
    // the dialog was opened with.
    model::GuardSettings guards() const;
    model::FeeRates fees() const;
    bool isInputValid() const;

    // Loads the profile's settings from GuardSettingsStore, runs the dialog and, on OK,
    // saves them and returns true with the new values in *guards / *fees (either may be
    // null). Cancel saves nothing, leaves the outputs untouched and returns false.
    static bool edit(QSettings *settings, const QString &profile, QWidget *parent,
                     model::GuardSettings *guards, model::FeeRates *fees);

    QPushButton *okButton() const { return m_ok; }

public Q_SLOTS:
    void accept() override;

private:
    enum Field { MaxNotional, MaxDeviation, MakerFee, TakerFee, FieldCount };
    struct Row {
        QLineEdit *edit = nullptr;
        QLabel *message = nullptr;
        bool emptyMeansOff = false; // guards: empty = 0 = off; fees must be typed
        bool isPercent = false;
    };

    QLineEdit *addRow(QFormLayout *form, Field field, const QString &objectName,
                      const QString &label, const QString &accessibleName,
                      const kraken::Decimal &value, const QString &placeholder, bool emptyMeansOff,
                      bool isPercent);
    // The field's value, or nullopt with *error set.
    std::optional<kraken::Decimal> parse(Field field, QString *error) const;
    void revalidate();

    model::GuardSettings m_initialGuards;
    model::FeeRates m_initialFees;
    QCheckBox *m_confirmEvery = nullptr;
    std::array<Row, FieldCount> m_rows;
    QPushButton *m_ok = nullptr;
};

} // namespace ui
